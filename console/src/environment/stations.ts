import type { ConsoleContext, SessionUser, TimeSeriesReader } from '../app/env.js';
import { CHANNELS, PROFILE_KIND, type StationKind } from './channels.js';
import type { CollectorDb } from './collector-db.js';
import { type IndexValue, currentIndex } from './indices.js';

export interface Station {
  id: string;
  kind: StationKind;
  name: string;
  areaId: string | null;
  lat: number | null;
  lon: number | null;
  online: boolean;
  lastReadingAt: number | null;
}

/** Newest value per field of one station. */
export type LatestValues = Record<string, { value: number; time: number }>;

/** The roles that see every station: the environment department works province-wide. */
/** Technicians maintain every station: they check its values after an installation or a repair. */
const PROVINCE_WIDE = ['admin', 'environment', 'technician'] as const;

/**
 * Environmental stations: sensor gateways of the registry, their kind from the profile the technician chose
 * (or, failing that, from the measurement their data lands in), position from placement or their commune.
 */
export class StationDirectory {
  constructor(
    private readonly ctx: Pick<ConsoleContext, 'registry' | 'db' | 'areas'>,
    private readonly collector: CollectorDb,
    private readonly now: () => number = Date.now,
  ) {}

  private details(): Map<string, { profile: string | null; lat: number | null; lon: number | null }> {
    const rows = this.ctx.db.prepare('SELECT id, profile, lat, lon FROM console_devices').all() as {
      id: string;
      profile: string | null;
      lat: number | null;
      lon: number | null;
    }[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Latest values of every station of a kind, one store call per measurement. */
  async latest(store: TimeSeriesReader, kind: StationKind): Promise<Map<string, LatestValues>> {
    const values = await store.latest({ measurement: kind, fields: CHANNELS[kind].map((c) => c.field) });
    const out = new Map<string, LatestValues>();
    for (const v of values) {
      const device = v.tags.device;
      if (!device) continue;
      const station = out.get(device) ?? {};
      const seen = station[v.field];
      if (!seen || seen.time < v.time) station[v.field] = { value: v.value, time: v.time };
      out.set(device, station);
    }
    return out;
  }

  mayRead(user: SessionUser, station: Pick<Station, 'areaId'>): boolean {
    if (user.roles.some((r) => (PROVINCE_WIDE as readonly string[]).includes(r))) return true;
    return station.areaId !== null && this.ctx.areas.userMayAct(user, station.areaId);
  }

  /** Every station the user may read, with the latest values of each. */
  async list(
    store: TimeSeriesReader,
    user: SessionUser,
  ): Promise<{ station: Station; latest: LatestValues }[]> {
    const [air, water] = await Promise.all([this.latest(store, 'air'), this.latest(store, 'water')]);
    const details = this.details();
    const presence = this.collector.presence();
    const out: { station: Station; latest: LatestValues }[] = [];
    for (const device of this.ctx.registry.listDevices()) {
      if (device.role !== 'sensor-gateway') continue;
      const d = details.get(device.id);
      const kind: StationKind | undefined =
        (d?.profile ? PROFILE_KIND[d.profile] : undefined) ??
        (air.has(device.id) ? 'air' : water.has(device.id) ? 'water' : undefined);
      if (!kind) continue;
      const area = device.areaId ? this.ctx.areas.get(device.areaId) : undefined;
      const latest = (kind === 'air' ? air : water).get(device.id) ?? {};
      const times = Object.values(latest).map((v) => v.time);
      const station: Station = {
        id: device.id,
        kind,
        name: device.name ?? device.id,
        areaId: device.areaId,
        lat: d?.lat ?? area?.lat ?? null,
        lon: d?.lon ?? area?.lon ?? null,
        online: !device.disabled && (presence.get(device.id)?.online ?? false),
        lastReadingAt: times.length > 0 ? Math.max(...times) : null,
      };
      if (this.mayRead(user, station)) out.push({ station, latest });
    }
    return out.sort((a, b) => a.station.name.localeCompare(b.station.name, 'vi'));
  }

  async get(
    store: TimeSeriesReader,
    user: SessionUser,
    id: string,
  ): Promise<{ station: Station; latest: LatestValues } | undefined> {
    return (await this.list(store, user)).find((s) => s.station.id === id);
  }

  index(store: TimeSeriesReader, station: Station): Promise<IndexValue | null> {
    return currentIndex(store, station.kind, station.id, this.now());
  }
}
