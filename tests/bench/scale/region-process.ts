import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ServerOrder, type ServerReport, ServerReportSchema } from './server-protocol.js';

const ENTRY = fileURLToPath(new URL('./region-server.ts', import.meta.url));

type Ready = Extract<ServerReport, { type: 'ready' }>;

/** The region server (region-server.ts) as a child process, driven over its IPC channel one order at a time. */
export class RegionServer {
  private readonly reports: ServerReport[] = [];
  private wake: (() => void) | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {}

  static async start(args: {
    dataDir: string;
    clusters: number;
    stations: number;
    communes: number;
  }): Promise<RegionServer> {
    const child = fork(ENTRY, [args.dataDir, `${args.clusters}`, `${args.stations}`, `${args.communes}`], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const inbox: ServerReport[] = [];
    let wake: (() => void) | undefined;
    child.on('message', (raw: unknown) => {
      const parsed = ServerReportSchema.safeParse(raw);
      inbox.push(parsed.success ? parsed.data : { type: 'failed', message: `bad report: ${String(raw)}` });
      wake?.();
    });
    child.on('exit', (code) => {
      inbox.push({ type: 'failed', message: `region server exited with ${code}` });
      wake?.();
    });
    const first = await new Promise<ServerReport>((resolve) => {
      const look = () => {
        const next = inbox.shift();
        if (next) resolve(next);
      };
      wake = look;
      look();
    });
    if (first.type !== 'ready') {
      child.kill('SIGKILL');
      throw new Error(first.type === 'failed' ? first.message : `unexpected ${first.type}`);
    }
    const server = new RegionServer(child, first);
    child.removeAllListeners('message');
    child.removeAllListeners('exit');
    child.on('message', (raw: unknown) => {
      const parsed = ServerReportSchema.safeParse(raw);
      server.reports.push(parsed.success ? parsed.data : { type: 'failed', message: 'bad report' });
      server.wake?.();
    });
    child.on('exit', (code) => {
      server.reports.push({ type: 'failed', message: `region server exited with ${code}` });
      server.wake?.();
    });
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Sends one order and resolves with the next report (the server answers orders in turn). */
  async ask(order: ServerOrder): Promise<ServerReport> {
    this.child.send(order);
    return new Promise((resolve, reject) => {
      const look = () => {
        const next = this.reports.shift();
        if (!next) return;
        this.wake = undefined;
        if (next.type === 'failed') reject(new Error(next.message));
        else resolve(next);
      };
      this.wake = look;
      look();
    });
  }

  async stop(): Promise<void> {
    if (!this.child.connected) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' } satisfies ServerOrder);
    // The exit, not the `stopped` report: a CPU profile is written while the process exits.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
