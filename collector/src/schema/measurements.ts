import { type DeviceKind, type Profile, builtinProfiles, channelOf } from '@xaso/device-profiles';

/** Measurement per domain; `other` keeps readings whose instrument is unknown instead of dropping them. */
export const MEASUREMENTS = {
  air: 'air',
  water: 'water',
  speakerHealth: 'speaker_health',
  deviceStatus: 'device_status',
  qualityFlags: 'quality_flags',
  aqi: 'aqi',
  wqi: 'wqi',
  other: 'other',
} as const;

export function measurementOfKind(kind: DeviceKind | null): string {
  switch (kind) {
    case 'air-quality':
    case 'pm-sensor':
      return MEASUREMENTS.air;
    case 'water-quality':
      return MEASUREMENTS.water;
    case 'speaker-controller':
      return MEASUREMENTS.speakerHealth;
    default:
      return MEASUREMENTS.other;
  }
}

export interface SourceClass {
  measurement: string;
  profile: string | null;
}

/**
 * Which profile (and so which measurement) a telemetry source belongs to: the configured map first,
 * else the one built-in profile whose channels cover every known channel the source sent (the
 * smallest such profile, so a bare PM sensor is not taken for a full station).
 */
export class SourceClassifier {
  private readonly profiles: Map<string, Profile>;
  private readonly channelsOf = new Map<string, Set<string>>();

  constructor(
    private readonly configured: Record<string, Record<string, string>>,
    profiles: Map<string, Profile> = builtinProfiles(),
  ) {
    this.profiles = profiles;
    for (const [name, profile] of profiles) {
      this.channelsOf.set(name, new Set(profile.registers.map(channelOf)));
    }
  }

  private readonly memo = new Map<string, SourceClass>();

  classify(deviceId: string, source: string, channels: Iterable<string>): SourceClass {
    const list = [...channels].sort();
    const key = `${deviceId}\u0000${source}\u0000${list.join(',')}`;
    let cls = this.memo.get(key);
    if (!cls) {
      cls = this.decide(deviceId, source, list);
      if (this.memo.size > 10_000) this.memo.clear();
      this.memo.set(key, cls);
    }
    return cls;
  }

  private decide(deviceId: string, source: string, channels: string[]): SourceClass {
    const pinned = this.configured[deviceId]?.[source];
    if (pinned !== undefined) {
      return { measurement: measurementOfKind(this.profiles.get(pinned)?.kind ?? null), profile: pinned };
    }
    const known = channels.filter((c) => [...this.channelsOf.values()].some((set) => set.has(c)));
    if (known.length === 0) return { measurement: MEASUREMENTS.other, profile: null };
    const candidates = [...this.channelsOf.entries()]
      .filter(([, set]) => known.every((c) => set.has(c)))
      .sort((a, b) => a[1].size - b[1].size || a[0].localeCompare(b[0]));
    const best = candidates[0];
    if (!best) return { measurement: MEASUREMENTS.other, profile: null };
    return { measurement: measurementOfKind(this.profiles.get(best[0])?.kind ?? null), profile: best[0] };
  }
}
