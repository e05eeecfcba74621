import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const PasswordSchema = z.string().min(16);
const CredentialsSchema = z.object({ collector: PasswordSchema, console: PasswordSchema });
export type ServiceCredentials = z.infer<typeof CredentialsSchema>;

export const CREDENTIALS_FILE = 'service-credentials.json';

/**
 * The MQTT passwords of the collector and console service principals: made on the first start, kept in
 * the data directory (mode 0600) so later starts and the separately started components reuse them.
 */
export function serviceCredentials(dataDir: string): ServiceCredentials {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) {
    const parsed = CredentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file} is damaged (${parsed.error.issues[0]?.message}); delete it to make new passwords`,
      );
    return parsed.data;
  }
  const fresh: ServiceCredentials = {
    collector: randomBytes(24).toString('base64url'),
    console: randomBytes(24).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return fresh;
}
