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

/** Up to this many stations, their latest values are read station by station instead of all at once. */
const FEW_STATIONS = 20;

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

  /** Latest values of every station of a kind (or of one device), one store call per measurement. */
  async latest(
    store: TimeSeriesReader,
    kind: StationKind,
    device?: string,
  ): Promise<Map<string, LatestValues>> {
    const fields = CHANNELS[kind].map((c) => c.field);
    const where: Record<string, string> = device === undefined ? {} : { device };
    const values = await store.latest({ measurement: kind, fields, where });
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

  private provinceWide(user: SessionUser): boolean {
    return user.roles.some((r) => (PROVINCE_WIDE as readonly string[]).includes(r));
  }

  mayRead(user: SessionUser, station: Pick<Station, 'areaId'>): boolean {
    if (this.provinceWide(user)) return true;
    return station.areaId !== null && this.ctx.areas.userMayAct(user, station.areaId);
  }

  /**
   * Latest values of a kind for these devices: all at once for many (or all), device by device for a few,
   * so a commune's officer does not wait for every station of the province.
   */
  private async latestOf(
    store: TimeSeriesReader,
    kind: StationKind,
    devices: readonly string[] | null,
  ): Promise<Map<string, LatestValues>> {
    if (devices === null) return this.latest(store, kind);
    const out = new Map<string, LatestValues>();
    const each = await Promise.all(devices.map((id) => this.latest(store, kind, id)));
    for (const one of each) for (const [id, values] of one) out.set(id, values);
    return out;
  }

  /** Every station the user may read (or only `onlyId`), with the latest values of each. */
  async list(
    store: TimeSeriesReader,
    user: SessionUser,
    onlyId?: string,
  ): Promise<{ station: Station; latest: LatestValues }[]> {
    // Who may read a station depends on its commune alone: filter before reading any value.
    const gateways = this.ctx.registry
      .listDevices()
      .filter(
        (d) =>
          d.role === 'sensor-gateway' &&
          (onlyId === undefined || d.id === onlyId) &&
          this.mayRead(user, { areaId: d.areaId }),
      );
    if (gateways.length === 0) return [];
    // One station, or a commune's few: device by device; the province's many: all at once.
    const few =
      onlyId !== undefined || (!this.provinceWide(user) && gateways.length <= FEW_STATIONS)
        ? gateways.map((d) => d.id)
        : null;
    const [air, water] = await Promise.all([
      this.latestOf(store, 'air', few),
      this.latestOf(store, 'water', few),
    ]);
    const details = this.details();
    const presence = this.collector.presence();
    const out: { station: Station; latest: LatestValues }[] = [];
    for (const device of gateways) {
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
      out.push({ station, latest });
    }
    return out.sort((a, b) => a.station.name.localeCompare(b.station.name, 'vi'));
  }

  async get(
    store: TimeSeriesReader,
    user: SessionUser,
    id: string,
  ): Promise<{ station: Station; latest: LatestValues } | undefined> {
    return (await this.list(store, user, id))[0];
  }

  index(store: TimeSeriesReader, station: Station): Promise<IndexValue | null> {
    return currentIndex(store, station.kind, station.id, this.now());
  }
}
