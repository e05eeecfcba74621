import { readFileSync } from 'node:fs';
import { assign } from '@xaso/broker/config-tree';
import { ConsoleConfigSchema } from './schema.js';
import type { ConsoleConfig } from './schema.js';

/** A configuration value that cannot be used; the message names the field and where it came from. */
export class ConsoleConfigError extends Error {
  override name = 'ConsoleConfigError';
}

type Tree = { [key: string]: unknown };

const ENV: Record<string, { path: string[]; kind?: 'number' | 'boolean' }> = {
  XASO_CONSOLE_HOST: { path: ['host'] },
  XASO_CONSOLE_PORT: { path: ['port'], kind: 'number' },
  XASO_CONSOLE_PUBLIC_URL: { path: ['publicUrl'] },
  XASO_CONSOLE_DATA_DIR: { path: ['dataDir'] },
  XASO_CONSOLE_REGISTRY_DB: { path: ['registryDb'] },
  XASO_CONSOLE_MQTT_URL: { path: ['mqtt', 'url'] },
  XASO_CONSOLE_MQTT_PASSWORD: { path: ['mqtt', 'password'] },
  XASO_CONSOLE_MQTT_CLIENT_ID: { path: ['mqtt', 'clientId'] },
  XASO_CONSOLE_COLLECTOR_STATE_DB: { path: ['collectorStateDb'] },
  XASO_CONSOLE_AREAS_FILE: { path: ['areasFile'] },
  XASO_CONSOLE_SESSION_TTL_MS: { path: ['sessionTtlMs'], kind: 'number' },
  XASO_CONSOLE_LOGIN_MAX_FAILURES_PER_USER: { path: ['login', 'maxFailuresPerUser'], kind: 'number' },
  XASO_CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS: { path: ['login', 'maxFailuresPerAddress'], kind: 'number' },
  XASO_CONSOLE_LOGIN_WINDOW_MS: { path: ['login', 'windowMs'], kind: 'number' },
  XASO_CONSOLE_TRUST_PROXY: { path: ['trustProxy'], kind: 'boolean' },
  XASO_CONSOLE_LOG_LEVEL: { path: ['logLevel'] },
};

/** Unparseable values stay strings so the schema reports them with the variable's name. */
function coerce(raw: string, kind: 'number' | 'boolean' | undefined): unknown {
  if (kind === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (kind === 'boolean')
    return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  return raw;
}

function readFile(file: string): Tree {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConsoleConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConsoleConfigError(`config file ${file} must hold a JSON object`);
  return parsed as Tree;
}

/** Validates an in-memory object; the error names every bad field. */
export function parseConsoleConfig(input: unknown, origin = 'configuration'): ConsoleConfig {
  const result = ConsoleConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConsoleConfigError(`invalid console ${origin}: ${problems.join('; ')}`);
}

/** File (XASO_CONSOLE_CONFIG or `file`) overlaid by XASO_CONSOLE_* variables, then validated. */
export function loadConsoleConfig(sources: { file?: string; env?: NodeJS.ProcessEnv } = {}): ConsoleConfig {
  const env = sources.env ?? process.env;
  const file = sources.file ?? env.XASO_CONSOLE_CONFIG;
  const tree: Tree = file ? readFile(file) : {};
  const fromEnv: string[] = [];
  for (const [name, spec] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    assign(tree, spec.path, coerce(raw, spec.kind));
    fromEnv.push(`${spec.path.join('.')} ← ${name}`);
  }
  const origin = [file ? `file ${file}` : '', fromEnv.length ? `environment (${fromEnv.join(', ')})` : '']
    .filter(Boolean)
    .join(' + ');
  return parseConsoleConfig(tree, `configuration${origin ? ` from ${origin}` : ''}`);
}
