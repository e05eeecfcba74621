import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface FakeWrite {
  at: number;
  url: string;
  lines: string[];
}

/**
 * A tiny HTTP server standing in for a database that refuses on cue (429/503 with Retry-After);
 * every accepted write is recorded. Only for failure modes a real server cannot be asked to produce.
 */
export class FakeInflux {
  readonly accepted: FakeWrite[] = [];
  readonly attempts: number[] = [];
  /** Responses to give before accepting, e.g. [{status: 503, retryAfter: '1'}]. */
  refusals: Array<{ status: number; retryAfter?: string }> = [];
  /** A slow database: each write waits this long before it counts; a client gone by then wrote nothing. */
  holdMs = 0;
  /** Writes waiting out `holdMs` right now. */
  held = 0;
  private server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      if (req.url?.startsWith('/ping')) {
        res.writeHead(204, { 'X-Influxdb-Version': 'v2.7.0' });
        res.end();
        return;
      }
      this.attempts.push(Date.now());
      if (this.holdMs > 0) {
        this.held++;
        setTimeout(() => {
          this.held--;
          if (!res.destroyed) this.answer(req, res, body);
        }, this.holdMs);
        return;
      }
      this.answer(req, res, body);
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const refusal = this.refusals.shift();
    if (refusal) {
      res.writeHead(refusal.status, refusal.retryAfter ? { 'Retry-After': refusal.retryAfter } : {});
      res.end('{"code":"unavailable","message":"busy"}');
      return;
    }
    this.accepted.push({
      at: Date.now(),
      url: req.url ?? '',
      lines: body.split('\n').filter((l) => l.length > 0),
    });
    res.writeHead(204);
    res.end();
  }

  acceptedLines(): string[] {
    return this.accepted.flatMap((w) => w.lines);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
