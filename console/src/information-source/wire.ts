import { z } from 'zod';

/**
 * The exchange format with the provincial information source system: the only file that knows it.
 * docs/information-source.md describes each message, and which parts the guidance fixes and which we chose.
 */
export const WIRE_VERSION = '1';

const Code = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
const Level = z.enum(['khan-cap', 'uu-tien', 'thong-thuong']);
export type WireLevel = z.infer<typeof Level>;

/** A commune radio station using IT/telecom (đài truyền thanh cấp xã ứng dụng CNTT-VT). */
export const StationMessageSchema = z.object({
  code: Code,
  name: z.string().min(1).max(200),
  areaPath: z.array(z.object({ code: Code, name: z.string(), kind: z.string() })),
  type: z.literal('cntt-vt'),
  clusterCount: z.number().int().nonnegative(),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  updatedAt: z.string().datetime({ offset: true }),
});

/** A loudspeaker cluster (cụm loa) with its place and working state. */
export const ClusterMessageSchema = z.object({
  code: Code,
  stationCode: Code.nullable(),
  name: z.string().min(1).max(200),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  state: z.enum(['hoat-dong', 'dang-phat', 'mat-ket-noi', 'loi', 'ngung-su-dung', 'chua-ro']),
  lastSeenAt: z.string().datetime({ offset: true }).nullable(),
  updatedAt: z.string().datetime({ offset: true }),
});

/** One programme item of a station's broadcast schedule (lịch phát thanh). */
export const ScheduleItemMessageSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().max(200),
  level: Level,
  recurrence: z.string().max(500).describe('Human-readable, Vietnamese'),
  cron: z.string().max(200).nullable(),
  startsAt: z.string().datetime({ offset: true }).nullable(),
  validFrom: z.string().datetime({ offset: true }).nullable(),
  validTo: z.string().datetime({ offset: true }).nullable(),
  durationS: z.number().int().nonnegative(),
  clusterCodes: z.array(Code),
});
export const StationScheduleMessageSchema = z.object({
  stationCode: Code,
  items: z.array(ScheduleItemMessageSchema),
  updatedAt: z.string().datetime({ offset: true }),
});

/** Proof of broadcast (nhật ký phát): idempotent by `id`, so a resend after a timeout is harmless. */
export const PlaybackLogItemSchema = z.object({
  id: z.string().min(1).max(140),
  clusterCode: Code,
  stationCode: Code.nullable(),
  broadcastId: z.string().max(64),
  bulletinId: z.string().max(128).nullable(),
  level: Level,
  phase: z.enum(['bat-dau', 'ket-thuc', 'loi', 'bi-ngat', 'bo-lo']),
  at: z.string().datetime({ offset: true }),
  durationS: z.number().nonnegative().nullable(),
  reason: z.string().max(500).nullable(),
});
export const PlaybackLogBatchSchema = z.object({
  systemCode: Code,
  items: z.array(PlaybackLogItemSchema).min(1),
});

/** A bulletin (bản tin) the province sends down: audio to download, or text to be read by TTS. */
export const BulletinMessageSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/),
    title: z.string().min(1).max(200),
    level: Level,
    kind: z.enum(['audio', 'text']),
    audioUrl: z.string().url().optional(),
    sha256: z
      .string()
      .regex(/^[a-f0-9]{64}$/)
      .optional(),
    text: z.string().min(1).max(20_000).optional(),
    language: z.string().min(2).max(16).default('vi'),
    validFrom: z.string().datetime({ offset: true }),
    validTo: z.string().datetime({ offset: true }),
    stationCodes: z.array(Code).min(1),
    issuer: z.string().min(1).max(200),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'audio' && !b.audioUrl) {
      ctx.addIssue({ code: 'custom', path: ['audioUrl'], message: 'required for an audio bulletin' });
    }
    if (b.kind === 'text' && !b.text) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'required for a text bulletin' });
    }
    if (Date.parse(b.validTo) <= Date.parse(b.validFrom)) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be after validFrom' });
    }
  });

export const BulletinPageSchema = z.object({
  bulletins: z.array(z.unknown()),
  cursor: z.string().max(200),
});

export const BulletinReceiptSchema = z.object({
  systemCode: Code,
  status: z.enum(['da-nhan', 'tu-choi', 'da-duyet', 'khong-duyet']),
  reason: z.string().max(500).nullable(),
  at: z.string().datetime({ offset: true }),
});

export type StationMessage = z.infer<typeof StationMessageSchema>;
export type ClusterMessage = z.infer<typeof ClusterMessageSchema>;
export type StationScheduleMessage = z.infer<typeof StationScheduleMessageSchema>;
export type ScheduleItemMessage = z.infer<typeof ScheduleItemMessageSchema>;
export type PlaybackLogItem = z.infer<typeof PlaybackLogItemSchema>;
export type BulletinMessage = z.infer<typeof BulletinMessageSchema>;
export type BulletinReceipt = z.infer<typeof BulletinReceiptSchema>;

/** Paths under the configured base URL. */
export const paths = {
  station: (code: string) => `/stations/${encodeURIComponent(code)}`,
  cluster: (code: string) => `/clusters/${encodeURIComponent(code)}`,
  schedule: (stationCode: string) => `/stations/${encodeURIComponent(stationCode)}/schedule`,
  playbackLogs: () => '/playback-logs',
  bulletins: (cursor: string) => `/bulletins?since=${encodeURIComponent(cursor)}`,
  receipt: (bulletinId: string) => `/bulletins/${encodeURIComponent(bulletinId)}/receipts`,
} as const;

/** Times on the wire are ISO 8601 with Vietnam's offset, as Vietnamese systems exchange them. */
export function wireTime(ts: number): string {
  const local = new Date(ts + 7 * 3_600_000).toISOString().replace('Z', '+07:00');
  return local;
}

export const LEVEL_TO_WIRE = { emergency: 'khan-cap', priority: 'uu-tien', normal: 'thong-thuong' } as const;
export const LEVEL_FROM_WIRE = {
  'khan-cap': 'emergency',
  'uu-tien': 'priority',
  'thong-thuong': 'normal',
} as const;
