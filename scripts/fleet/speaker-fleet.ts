import { constants, accessSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClockPlayer,
  type Gateway,
  NullAmplifier,
  type PlayRecord,
  createSpeakerGateway,
  parseLocalConfig,
} from '@xaso/gateway-firmware-ts';
import pino, { type Logger } from 'pino';
import { SimulatedAudio } from './speaker-audio.js';
import { SimulatedUplink, type UplinkProfile } from './speaker-uplink.js';
import { UplinkDropouts } from './uplink-dropouts.js';

/** What a cluster needs to log in: its registry id, MQTT credentials and the groups it was placed in. */
export interface ClusterCredentials {
  id: string;
  username: string;
  password: string;
  groups: string[];
}

export interface SpeakerFleetOptions {
  broker: { host: string; port: number };
  /** The console's Ed25519 key: commands and schedules are verified against it. */
  signingPublicKeyPem: string;
  /** Parent of the clusters' data dirs; default tmpfs (/dev/shm) when writable, else the temp dir. */
  dataRoot?: string;
  /** Simulated ms per real ms for playbacks (10 plays a 30 s item in 3 s). */
  speed?: number;
  /** One-way delay range per cluster (picked once) and jitter per chunk; default a 3G/4G link. */
  latencyMs?: [number, number];
  jitterMs?: number;
  /** Random outages: each cluster drops on average every `meanEveryS` for about `meanLengthS`. */
  dropouts?: { meanEveryS: number; meanLengthS: number };
  statusIntervalS?: number;
  reconnectPeriodMs?: number;
  /** Called at every playback start and end of any cluster. */
  onPlayback?: (clusterId: string, record: PlayRecord, phase: 'start' | 'end') => void;
  log?: Logger;
  random?: () => number;
}

export interface SimulatedCluster {
  id: string;
  gateway: Gateway;
  player: ClockPlayer;
  audio: SimulatedAudio;
  uplink: SimulatedUplink;
}

/** tmpfs keeps N clusters' fsyncs from serialising on one disk (see docs/benchmarks.md, H1). */
export function defaultDataRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/**
 * N real loudspeaker gateways (`createSpeakerGateway`, ClockPlayer, no amplifier) in this process, each
 * behind its own simulated mobile uplink. Per cluster: two SQLite files on tmpfs, one MQTT connection,
 * one TCP relay, a timer per schedule entry.
 */
export class SpeakerFleet {
  private readonly clusters = new Map<string, SimulatedCluster>();
  /** Clusters cut on demand: random outages never restore them. */
  private readonly held = new Set<string>();
  private dropouts: UplinkDropouts | undefined;

  private constructor(
    private readonly options: SpeakerFleetOptions,
    readonly dataDir: string,
  ) {}

  static async start(
    credentials: readonly ClusterCredentials[],
    options: SpeakerFleetOptions,
  ): Promise<SpeakerFleet> {
    const root = options.dataRoot ?? defaultDataRoot();
    await mkdir(root, { recursive: true });
    const fleet = new SpeakerFleet(options, await mkdtemp(join(root, 'xs-speaker-fleet-')));
    try {
      for (const c of credentials) await fleet.add(c);
      await Promise.all([...fleet.clusters.values()].map((c) => c.gateway.start()));
    } catch (err) {
      await fleet.stop();
      throw err;
    }
    if (options.dropouts) {
      fleet.dropouts = new UplinkDropouts(
        () => fleet.clusters.values(),
        (id) => fleet.held.has(id),
        options.dropouts,
        options.random,
      );
      fleet.dropouts.start();
    }
    return fleet;
  }

  get size(): number {
    return this.clusters.size;
  }

  get(id: string): SimulatedCluster | undefined {
    return this.clusters.get(id);
  }

  all(): SimulatedCluster[] {
    return [...this.clusters.values()];
  }

  /** Clusters whose gateway currently has its MQTT session up. */
  connected(): string[] {
    return this.all()
      .filter((c) => c.gateway.link.connected)
      .map((c) => c.id);
  }

  /** Resolves with the ids still disconnected after `timeoutMs` ([] when all are up). */
  async waitConnected(
    timeoutMs: number,
    ids: readonly string[] = [...this.clusters.keys()],
  ): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let down = ids.filter((id) => !this.clusters.get(id)?.gateway.link.connected);
    while (down.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      down = down.filter((id) => !this.clusters.get(id)?.gateway.link.connected);
    }
    return down;
  }

  /** Cuts these clusters' uplinks until restore() (random outages leave them cut). */
  cut(ids: readonly string[]): void {
    for (const id of ids) {
      this.held.add(id);
      this.clusters.get(id)?.uplink.cut();
    }
  }

  restore(ids: readonly string[]): void {
    for (const id of ids) {
      this.held.delete(id);
      this.dropouts?.forget(id);
      this.clusters.get(id)?.uplink.restore();
    }
  }

  /** No new random outages from now on (those under way end as planned): a soak settles with this. */
  stopDropouts(): void {
    this.dropouts?.stopNew();
  }

  async stop(): Promise<void> {
    this.dropouts?.stop();
    const clusters = this.all();
    this.clusters.clear();
    // Uplinks first: a gateway whose link came back mid-stop would re-subscribe, and a broker closing
    // right after can trip over that half-delivered subscription. The broker marks them offline itself.
    for (const c of clusters) c.uplink.cut();
    await Promise.all(clusters.map((c) => c.gateway.stop().catch(() => undefined)));
    await Promise.all(clusters.map((c) => c.uplink.close()));
    await Promise.all(clusters.map((c) => c.player.close()));
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private async add(c: ClusterCredentials): Promise<void> {
    const random = this.options.random ?? Math.random;
    const [low, high] = this.options.latencyMs ?? [40, 250];
    const profile: UplinkProfile = {
      latencyMs: Math.round(low + random() * (high - low)),
      jitterMs: this.options.jitterMs ?? 40,
    };
    const uplink = await SimulatedUplink.open(this.options.broker, profile, random);
    const dataDir = join(this.dataDir, c.id);
    await mkdir(dataDir, { recursive: true });
    const config = parseLocalConfig(
      {
        deviceId: c.id,
        mqtt: {
          url: uplink.url,
          username: c.username,
          password: c.password,
          reconnectPeriodMs: this.options.reconnectPeriodMs ?? 1000,
        },
        signingPublicKeyPem: this.options.signingPublicKeyPem,
        dataDir,
        groups: c.groups,
        statusIntervalS: this.options.statusIntervalS ?? 60,
      },
      `simulated cluster ${c.id}`,
    );
    const onPlayback = this.options.onPlayback;
    const player = new ClockPlayer({
      name: `sim-${c.id}`,
      speed: this.options.speed ?? 1,
      maxRecords: 20,
      ...(onPlayback ? { onRecord: (record, phase) => onPlayback(c.id, record, phase) } : {}),
    });
    const audio = new SimulatedAudio();
    const gateway = createSpeakerGateway(
      config,
      { player, audio, amplifier: new NullAmplifier() },
      {
        log: (this.options.log ?? pino({ level: 'silent' })).child({ cluster: c.id }),
        timing: { amplifierWarmupMs: 0 },
      },
    );
    this.clusters.set(c.id, { id: c.id, gateway, player, audio, uplink });
  }
}
