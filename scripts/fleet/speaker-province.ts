import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningBroker } from '@xaso/broker';
import type { RunningConsole } from '@xaso/console';
import { enroll } from '@xaso/gateway-firmware-ts';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Province } from '../province/province.js';
import type { Endpoint, Service } from '../service.js';
import { localAddress } from '../stack/broker-service.js';
import { type ClusterCredentials, SpeakerFleet } from './speaker-fleet.js';
import { morningProgramme } from './speaker-programme.js';

export interface SpeakerProvinceOptions {
  province: Province;
  /** How many loudspeaker clusters to spread over the communes (the real deployment: 200). */
  clusters: number;
  dataDir: string;
  broker: () => RunningBroker;
  console: () => RunningConsole;
  log: Logger;
  /** A line for the person at the terminal once the fleet is up (or could not start). */
  announce?: (line: string) => void;
}

export interface PlannedCluster {
  id: string;
  communeId: string;
  name: string;
}

const StoredCredentialsSchema = z.object({
  mqtt: z.object({ username: z.string(), password: z.string() }),
  signingPublicKeyPem: z.string(),
});

const ENROLLMENT_CODE_TTL_MS = 10 * 60_000;

/** Clusters per commune: border communes (the first to get loudspeakers) count double; stable ids. */
export function planClusters(province: Province, total: number): PlannedCluster[] {
  const weights = province.communes.map((c) => (c.border ? 2 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * total) / sum);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < total; k++) {
    const pick = byRemainder[k % byRemainder.length];
    if (pick) counts[pick.i] = (counts[pick.i] ?? 0) + 1;
  }
  return province.communes.flatMap((commune, i) =>
    Array.from({ length: counts[i] ?? 0 }, (_, n) => ({
      id: `loa-${commune.id}-${String(n + 1).padStart(2, '0')}`,
      communeId: commune.id,
      name: `Cụm loa ${n + 1}, ${commune.name}`,
    })),
  );
}

/**
 * The province's loudspeaker clusters: each enrolled through the broker's HTTP endpoint (credentials kept
 * on disk for the next start), placed in its commune through the console (so group topics work), run as
 * real speaker gateways behind simulated 3G/4G uplinks; plus a daily morning programme for the province.
 */
export function speakerProvince(o: SpeakerProvinceOptions): Service & { fleet(): SpeakerFleet | undefined } {
  async function credentialsOf(plan: PlannedCluster): Promise<{ creds: ClusterCredentials; key: string }> {
    const broker = o.broker();
    const running = o.console();
    const dir = join(o.dataDir, 'sim', 'speakers', plan.id);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'gateway.json');
    let record = broker.registry.getDevice(plan.id);
    if (!record) {
      broker.registry.createDevice({ id: plan.id, role: 'speaker-cluster', name: plan.name });
      record = broker.registry.getDevice(plan.id);
    }
    if (record?.disabled) throw new Error(`cluster ${plan.id} is disabled in the registry`);
    const groups =
      record?.areaId === plan.communeId
        ? record.groups
        : (await running.core.placement.place(plan.id, plan.communeId, 'npm-start')).groups;
    const stored = existsSync(file)
      ? StoredCredentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
      : undefined;
    if (stored?.success && record?.enrolledAt !== null) {
      const { mqtt, signingPublicKeyPem } = stored.data;
      return { creds: { id: plan.id, ...mqtt, groups }, key: signingPublicKeyPem };
    }
    const { code } = broker.registry.issueEnrollmentCode(plan.id, ENROLLMENT_CODE_TTL_MS);
    const host = localAddress(broker.config.host);
    const answer = await enroll({
      url: `http://${host}:${broker.ports.http}`,
      deviceId: plan.id,
      code,
      configFile: file,
      dataDir: dir,
    });
    const { username, password } = answer.mqtt;
    return { creds: { id: plan.id, username, password, groups }, key: answer.signingPublicKeyPem };
  }

  async function run(plans: PlannedCluster[]): Promise<string> {
    const credentials: ClusterCredentials[] = [];
    let key = o.console().ctx.signer.publicKeyPem;
    // One at a time: enrollment hashes a password synchronously on the broker's event loop.
    for (const plan of plans) {
      if (stopping) return 'stopped before every cluster enrolled';
      const got = await credentialsOf(plan);
      credentials.push(got.creds);
      key = got.key;
    }
    const broker = o.broker();
    fleet = await SpeakerFleet.start(credentials, {
      broker: { host: localAddress(broker.config.host), port: broker.ports.mqtt },
      signingPublicKeyPem: key,
      latencyMs: [60, 400],
      jitterMs: 80,
      // A rural cell drops a cluster about twice an hour, mostly for under a minute.
      dropouts: { meanEveryS: 1800, meanLengthS: 45 },
      log: o.log.child({ name: 'speaker-fleet' }),
    });
    const down = await fleet.waitConnected(60_000);
    const programme = await morningProgramme(o.console(), o.log);
    return `${plans.length - down.length} of ${plans.length} loudspeaker clusters connected; ${programme}`;
  }

  let fleet: SpeakerFleet | undefined;
  let starting: Promise<void> | undefined;
  let stopping = false;
  return {
    name: 'loudspeaker clusters',
    fleet: () => fleet,
    async start(): Promise<Endpoint[]> {
      const plans = planClusters(o.province, o.clusters);
      stopping = false;
      // In the background: 200 first-time enrollments cost a password hash each, and the console and the
      // stations are usable meanwhile.
      starting = run(plans).then(
        (line) => o.announce?.(line),
        (err: Error) => {
          o.log.error({ err: err.message }, 'loudspeaker clusters failed to start');
          o.announce?.(`loudspeaker clusters failed to start: ${err.message}`);
        },
      );
      const communes = new Set(plans.map((p) => p.communeId));
      const border = o.province.communes.filter((c) => c.border && communes.has(c.id)).length;
      return [
        {
          service: 'loudspeakers',
          what: `${plans.length} clusters · ${communes.size} communes (${border} on the border)`,
          where: 'speaker gateways in this process',
          detail: 'simulated 3G/4G uplinks (60–400 ms, random drop-outs); enrolling in the background',
        },
      ];
    },
    async stop() {
      stopping = true;
      await starting;
      await fleet?.stop();
      fleet = undefined;
    },
  };
}
