import type { SqliteDatabase } from '@xaso/broker';

export interface DeviceDetails {
  profile: string | null;
  position: { lat: number; lon: number } | null;
}

/** What the console knows about a device beyond the registry: its profile and where it stands. */
export class DeviceDetailsTable {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): DeviceDetails {
    const row = this.db.prepare('SELECT profile, lat, lon FROM console_devices WHERE id = ?').get(id) as
      | { profile: string | null; lat: number | null; lon: number | null }
      | undefined;
    const position = row && row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null;
    return { profile: row?.profile ?? null, position };
  }

  set(id: string, details: DeviceDetails): void {
    this.db
      .prepare(
        `INSERT INTO console_devices (id, profile, lat, lon, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, lat = excluded.lat, lon = excluded.lon,
           updated_at = excluded.updated_at`,
      )
      .run(id, details.profile, details.position?.lat ?? null, details.position?.lon ?? null, this.now());
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM console_devices WHERE id = ?').run(id);
  }
}
