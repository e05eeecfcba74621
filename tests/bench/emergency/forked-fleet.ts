import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClusterCredentials } from '../../../scripts/fleet/speaker-fleet.js';
import { defaultDataRoot } from '../../../scripts/fleet/speaker-fleet.js';
import { type FleetMode, type FleetOrder, type FleetReport, FleetReportSchema } from './fleet-protocol.js';

const ENTRY = fileURLToPath(new URL('./fleet-process.ts', import.meta.url));

export interface ForkedFleetOptions {
  mode: FleetMode;
  /** How many processes share the clusters (round-robin), each with its own event loop and heap. */
  workers: number;
  broker: { host: string; port: number };
  signingPublicKeyPem: string;
  dataRoot?: string;
  connectTimeoutMs?: number;
  /** Stations: seconds between telemetry batches. */
  reportEveryS?: number;
}

interface Worker {
  child: ChildProcess;
  reports: FleetReport[];
  waiters: Set<() => void>;
}

/**
 * A simulated loudspeaker fleet spread over child processes, so what a benchmark times is the broker and
 * the console, not one event loop working through every cluster's signature checks and disk commits.
 */
export class ForkedFleet {
  private constructor(
    private readonly workers: Worker[],
    readonly down: string[],
    readonly startMs: number,
  ) {}

  static async start(
    credentials: readonly ClusterCredentials[],
    options: ForkedFleetOptions,
  ): Promise<ForkedFleet> {
    const count = Math.max(1, Math.min(options.workers, credentials.length));
    const shares: ClusterCredentials[][] = Array.from({ length: count }, () => []);
    credentials.forEach((c, i) => shares[i % count]?.push(c));
    const workers = shares.map(() => spawnWorker());
    const fleet = new ForkedFleet(workers, [], 0);
    try {
      const started = Date.now();
      const ready = await Promise.all(
        workers.map((w, i) => {
          const order: FleetOrder = {
            type: 'start',
            mode: options.mode,
            broker: options.broker,
            signingPublicKeyPem: options.signingPublicKeyPem,
            clusters: shares[i] ?? [],
            dataRoot: options.dataRoot ?? defaultDataRoot(),
            connectTimeoutMs: options.connectTimeoutMs ?? 120_000,
            reportEveryS: options.reportEveryS ?? 60,
          };
          w.child.send(order);
          return next(w, 'ready');
        }),
      );
      const down = ready.flatMap((r) => (r.type === 'ready' ? r.down : []));
      return new ForkedFleet(workers, down, Date.now() - started);
    } catch (err) {
      await fleet.stop();
      throw err;
    }
  }

  /** The fleet processes' ids, for RSS and CPU readings from /proc. */
  get pids(): number[] {
    return this.workers.flatMap((w) => (w.child.pid === undefined ? [] : [w.child.pid]));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (!w.child.connected) return;
        const exited = new Promise((r) => w.child.once('exit', r));
        w.child.send({ type: 'stop' } satisfies FleetOrder);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      }),
    );
  }
}

function spawnWorker(): Worker {
  // execArgv carries tsx's loader, so the child runs the TypeScript entry as the parent does.
  const child = fork(ENTRY, [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const worker: Worker = { child, reports: [], waiters: new Set() };
  child.on('message', (raw: unknown) => {
    const parsed = FleetReportSchema.safeParse(raw);
    worker.reports.push(
      parsed.success ? parsed.data : { type: 'failed', message: `bad report: ${JSON.stringify(raw)}` },
    );
    for (const wake of worker.waiters) wake();
  });
  child.on('exit', (code) => {
    worker.reports.push({ type: 'failed', message: `fleet process exited with ${code}` });
    for (const wake of worker.waiters) wake();
  });
  return worker;
}

/** The next report of this type; rejects on a `failed` report or the process exiting first. */
function next(worker: Worker, type: 'ready'): Promise<FleetReport> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const index = worker.reports.findIndex((r) => r.type === type || r.type === 'failed');
      const found = worker.reports[index];
      if (!found) return;
      worker.reports.splice(index, 1);
      worker.waiters.delete(look);
      if (found.type === 'failed') reject(new Error(found.message));
      else resolve(found);
    };
    worker.waiters.add(look);
    look();
  });
}
