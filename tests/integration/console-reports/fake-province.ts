import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import {
  BulletinReceiptSchema,
  ClusterMessageSchema,
  PlaybackLogBatchSchema,
  StationMessageSchema,
  StationScheduleMessageSchema,
} from '../../../console/src/information-source/wire.js';

export const PROVINCE_TOKEN = 'province-test-token-0123456789';

/** The console's `informationSource` settings for a fake province: quick syncs and retries. */
export function provinceSettings(url: string) {
  return {
    url,
    token: PROVINCE_TOKEN,
    systemCode: 'xaso-tay-ninh',
    syncIntervalMs: 200,
    retryMinMs: 50,
    retryMaxMs: 500,
  };
}

type Station = z.infer<typeof StationMessageSchema>;
type ClusterMsg = z.infer<typeof ClusterMessageSchema>;
type PlaybackItem = z.infer<typeof PlaybackLogBatchSchema>['items'][number];
type Receipt = z.infer<typeof BulletinReceiptSchema> & { bulletinId: string };

/**
 * A small stand-in for a provincial information source system: checks our credentials and validates
 * every payload, records what it got, serves bulletins and their audio, and can be taken down.
 */
export class FakeProvince {
  mode: 'up' | 'reset' | '503' = 'up';
  readonly stations = new Map<string, Station>();
  readonly clusters = new Map<string, ClusterMsg>();
  readonly schedules = new Map<string, z.infer<typeof StationScheduleMessageSchema>>();
  readonly playback: PlaybackItem[] = [];
  readonly receipts: Receipt[] = [];
  readonly invalid: string[] = [];
  readonly files = new Map<string, Buffer>();
  /** Requests for a file path that fail (503) before it is served. */
  readonly fileFailures = new Map<string, number>();
  bulletins: unknown[] = [];
  requests: { method: string; path: string; status: number }[] = [];
  refusedWhileDown = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/ttn/v1`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/api\/ttn\/v1/, '');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, payload: unknown = { ok: status < 300 }, type = 'application/json') => {
      this.requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'content-type': type });
      res.end(Buffer.isBuffer(payload) ? payload : JSON.stringify(payload));
    };
    if (this.mode === 'reset') {
      this.refusedWhileDown++;
      req.socket.destroy();
      return;
    }
    if (this.mode === '503') {
      this.refusedWhileDown++;
      return reply(503, { error: 'bảo trì' });
    }
    if (path.startsWith('/files/')) {
      const left = this.fileFailures.get(path) ?? 0;
      if (left > 0) {
        this.fileFailures.set(path, left - 1);
        return reply(503, { error: 'tạm thời không phục vụ' });
      }
      const file = this.files.get(path);
      return file ? reply(200, file, 'audio/wav') : reply(404);
    }
    if (
      req.headers.authorization !== `Bearer ${PROVINCE_TOKEN}` ||
      req.headers['x-system-code'] !== 'xaso-tay-ninh'
    ) {
      return reply(401, { error: 'unauthorised' });
    }
    const json = body ? (JSON.parse(body) as unknown) : undefined;
    const check = <T>(schema: z.ZodType<T>, value: unknown): T | null => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      this.invalid.push(`${req.method} ${path}: ${parsed.error.issues[0]?.path.join('.')}`);
      return null;
    };
    const station = path.match(/^\/stations\/([^/]+)$/)?.[1];
    const schedule = path.match(/^\/stations\/([^/]+)\/schedule$/)?.[1];
    const cluster = path.match(/^\/clusters\/([^/]+)$/)?.[1];
    const receipt = path.match(/^\/bulletins\/([^/]+)\/receipts$/)?.[1];
    if (req.method === 'PUT' && station) {
      const s = check(StationMessageSchema, json);
      if (!s || s.code !== decodeURIComponent(station)) return reply(400);
      this.stations.set(s.code, s);
      return reply(200);
    }
    if (req.method === 'PUT' && schedule) {
      const s = check(StationScheduleMessageSchema, json);
      if (!s) return reply(400);
      this.schedules.set(s.stationCode, s);
      return reply(200);
    }
    if (req.method === 'PUT' && cluster) {
      const c = check(ClusterMessageSchema, json);
      if (!c || c.code !== decodeURIComponent(cluster)) return reply(400);
      this.clusters.set(c.code, c);
      return reply(200);
    }
    if (req.method === 'POST' && path === '/playback-logs') {
      const b = check(PlaybackLogBatchSchema, json);
      if (!b) return reply(400);
      this.playback.push(...b.items);
      return reply(200);
    }
    if (req.method === 'POST' && receipt) {
      const r = check(BulletinReceiptSchema, json);
      if (!r) return reply(400);
      this.receipts.push({ ...r, bulletinId: decodeURIComponent(receipt) });
      return reply(200);
    }
    if (req.method === 'GET' && path === '/bulletins') {
      const since = Number(url.searchParams.get('since') || '0');
      return reply(200, { bulletins: this.bulletins.slice(since), cursor: String(this.bulletins.length) });
    }
    return reply(404, { error: 'no such path' });
  }
}

/** A real 16-bit mono PCM WAV: a tone of the given length. */
export function toneWav(seconds: number, hz = 440, rate = 16_000): Buffer {
  const samples = Math.round(seconds * rate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12_000), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
