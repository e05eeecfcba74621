import { z } from 'zod';

/**
 * How the console reaches the provincial information source system (Hệ thống thông tin nguồn cấp
 * tỉnh). Credentials are either a bearer token or HTTP Basic; the province issues them.
 */
export const InformationSourceConfigSchema = z
  .object({
    url: z.string().url().describe('Base URL of the provincial API, e.g. https://ttn.example.gov.vn/api/v1'),
    token: z.string().min(8).max(4096).optional(),
    username: z.string().min(1).max(200).optional(),
    password: z.string().min(1).max(1024).optional(),
    /** Our identity at the province: the code it assigned to this console's deployment. */
    systemCode: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only'),
    syncIntervalMs: z.number().int().min(50).max(86_400_000).default(60_000),
    requestTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    retryMinMs: z.number().int().min(10).max(3_600_000).default(2_000),
    retryMaxMs: z
      .number()
      .int()
      .min(10)
      .max(86_400_000)
      .default(15 * 60_000),
    /** Largest bulletin audio file taken in. */
    maxBulletinBytes: z
      .number()
      .int()
      .min(1024)
      .max(500 * 1024 * 1024)
      .default(50 * 1024 * 1024),
    /** Circular 39: an emergency bulletin plays at once; false makes it wait for a commune decision. */
    emergencyAtOnce: z.boolean().default(true),
    /** Playback events per batch sent. */
    batchSize: z.number().int().min(1).max(5000).default(500),
  })
  .superRefine((c, ctx) => {
    if ((c.username === undefined) !== (c.password === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'username and password go together' });
    }
    if (c.retryMaxMs < c.retryMinMs) {
      ctx.addIssue({ code: 'custom', path: ['retryMaxMs'], message: 'must be at least retryMinMs' });
    }
  });

export type InformationSourceConfig = z.infer<typeof InformationSourceConfigSchema>;
export type InformationSourceConfigInput = z.input<typeof InformationSourceConfigSchema>;

export class InformationSourceConfigError extends Error {}

/** Validates config with an error naming the field, e.g. `informationSource.url: Invalid URL`. */
export function parseInformationSourceConfig(input: unknown): InformationSourceConfig {
  const result = InformationSourceConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = ['informationSource', ...(issue?.path ?? []).map(String)].join('.');
  throw new InformationSourceConfigError(`${field}: ${issue?.message ?? 'invalid value'}`);
}

/** Reads XASO_INFOSRC_* variables (URL, TOKEN, USERNAME, PASSWORD, SYSTEM_CODE, SYNC_INTERVAL_MS). */
export function informationSourceConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): InformationSourceConfig | null {
  if (!env.XASO_INFOSRC_URL) return null;
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return parseInformationSourceConfig({
    url: env.XASO_INFOSRC_URL,
    token: env.XASO_INFOSRC_TOKEN,
    username: env.XASO_INFOSRC_USERNAME,
    password: env.XASO_INFOSRC_PASSWORD,
    systemCode: env.XASO_INFOSRC_SYSTEM_CODE,
    syncIntervalMs: num(env.XASO_INFOSRC_SYNC_INTERVAL_MS),
  });
}
