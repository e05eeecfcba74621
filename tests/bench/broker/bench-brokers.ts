import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { topics } from '@xaso/device-profiles/contract';
import { pino } from 'pino';
import { freePort, startMosquitto, tempDir } from '../../harness/index.js';
import { startOurBroker } from './our-broker.js';

export type BrokerKind = 'ours' | 'mosquitto';

export interface Identity {
  clientId: string;
  username?: string;
  password?: string;
  topic: string;
}

export interface BenchBroker {
  kind: BrokerKind;
  url: string;
  pid: number;
  /** Subscribers: N connections of the collector service (ours) or anonymous (Mosquitto). */
  subscriber: { clientIdPrefix: string; username?: string; password?: string };
  /** Device identities allowed to publish their own telemetry. */
  publishers: Identity[];
  /** The broker's log (until stop() removes it), for a failed run's report. */
  logFile: string;
  stop(): Promise<void>;
}

const SERVICE_PASSWORD = 'bench-service-password-0123456789';

/**
 * Ours runs as `tsx broker/src/cli.ts` with auth and ACLs on; Mosquitto is Debian's with anonymous access,
 * which spares it the password checks ours does (a conservative comparison for ours).
 */
export async function startBenchBroker(
  kind: BrokerKind,
  publisherCount: number,
  /** Ours with the persistence shortcuts off (retained index, clean-session PUBACK lookups): "before". */
  baseline = false,
  /** Ours with aedes-persistence-level's own QoS 1 in-flight calls instead of the outgoing journal. */
  stockOutgoing = false,
  /** Ours with aedes' own per-subscriber delivery to clean sessions (`limits.directCleanDelivery: false`). */
  stockDelivery = false,
): Promise<BenchBroker> {
  const ids = Array.from({ length: publisherCount }, (_, i) => `bench-src-${i}`);
  if (kind === 'mosquitto') {
    const m = await startMosquitto({ extraConfig: 'max_queued_messages 100000\nmax_inflight_messages 100' });
    return {
      kind,
      url: m.url,
      pid: m.pid,
      subscriber: { clientIdPrefix: 'collector-bench-' },
      publishers: ids.map((id) => ({ clientId: id, topic: topics.telemetry(id) })),
      logFile: join(m.dir, 'mosquitto.log'),
      stop: () => m.stop(),
    };
  }
  const dir = await tempDir('xs-bench-broker');
  const registry = Registry.open(join(dir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
  const publishers = ids.map((id) => {
    registry.createDevice({ id, role: 'sensor-gateway' });
    return {
      clientId: id,
      username: id,
      password: registry.rotateSecret(id).password,
      topic: topics.telemetry(id),
    };
  });
  registry.close();
  const configFile = join(dir, 'bench-broker.json');
  await writeFile(
    configFile,
    JSON.stringify({
      limits: { maxConnectionsPerService: 20_000, directCleanDelivery: !stockDelivery },
      services: { collector: SERVICE_PASSWORD, console: SERVICE_PASSWORD },
      authBackoff: { freeFailures: 1000 },
      ...(baseline
        ? {
            persistence: {
              kind: 'level',
              retainedIndex: false,
              skipCleanSessionLookups: false,
              outgoingJournal: false,
            },
          }
        : { persistence: { kind: 'level', outgoingJournal: !stockOutgoing } }),
    }),
  );
  const [port, httpPort] = [await freePort(), await freePort()];
  const b = await startOurBroker({ port, httpPort, dataDir: dir, extraArgs: ['--config', configFile] });
  return {
    kind,
    url: `mqtt://127.0.0.1:${port}`,
    pid: b.pid,
    subscriber: { clientIdPrefix: 'collector-bench-', username: '_collector', password: SERVICE_PASSWORD },
    publishers,
    logFile: join(dir, 'broker.log'),
    stop: async () => {
      await b.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set size of a process in MiB, from /proc. */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1] ?? Number.NaN);
  return kb / 1024;
}
