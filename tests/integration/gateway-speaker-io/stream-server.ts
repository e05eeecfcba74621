import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StreamMode = 'tone' | 'silence' | 'refuse';

interface Listener {
  res: http.ServerResponse;
  timer: NodeJS.Timeout;
  stalled: boolean;
}

/**
 * An Icecast-like MP3 stream for relay tests, paced at ~80 kbit/s (a bit above the 64 kbit/s files so the
 * player never starves). It can switch to silence, stall its listeners, drop them, or refuse new ones.
 */
export class StreamServer {
  mode: StreamMode = 'tone';
  connections = 0;
  private readonly server = http.createServer((req, res) => this.serve(req, res));
  private readonly listeners = new Set<Listener>();

  private constructor(
    private readonly tone: Buffer,
    private readonly silence: Buffer,
  ) {}

  static async start(toneFile: string, silenceFile: string): Promise<StreamServer> {
    const server = new StreamServer(await readFile(toneFile), await readFile(silenceFile));
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/live.mp3`;
  }

  /** Existing listeners get no more bytes but keep their connection (a dead 3G link). */
  stallAll(): void {
    for (const l of this.listeners) l.stalled = true;
  }

  /** Existing listeners are cut off (the link dropped). */
  dropAll(): void {
    for (const l of this.listeners) {
      clearInterval(l.timer);
      l.res.destroy();
    }
    this.listeners.clear();
  }

  async close(): Promise<void> {
    this.dropAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A mount that moved: answers 302 to the real one. */
  get movedUrl(): string {
    return this.url.replace('/live.mp3', '/old-mount');
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.url === '/old-mount') {
      res.writeHead(302, { location: '/live.mp3' }).end();
      return;
    }
    this.connections += 1;
    if (this.mode === 'refuse') {
      res.writeHead(503).end('source offline');
      return;
    }
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'icy-name': 'test' });
    let offset = 0;
    const listener: Listener = {
      res,
      stalled: false,
      timer: setInterval(() => {
        if (listener.stalled) return;
        const data = this.mode === 'silence' ? this.silence : this.tone;
        const start = offset % data.length;
        const chunk = data.subarray(start, Math.min(start + 1_000, data.length));
        offset = start + chunk.length;
        res.write(chunk);
      }, 100),
    };
    this.listeners.add(listener);
    res.on('close', () => {
      clearInterval(listener.timer);
      this.listeners.delete(listener);
    });
  }
}
