import { readFileSync } from 'node:fs';
import { assign } from './config-tree.js';
import { BrokerConfigSchema } from './schema.js';
import type { BrokerConfig } from './schema.js';

/** A configuration value that cannot be used; the message names the field and where it came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Source = 'default' | `file ${string}` | `environment ${string}` | `flag ${string}`;
type Tree = { [key: string]: unknown };

interface Setting {
  path: string[];
  value: unknown;
  source: Source;
}

const ENV: Record<string, { path: string[]; numeric?: boolean; boolean?: boolean }> = {
  XS_BROKER_HOST: { path: ['host'] },
  XS_BROKER_PORT: { path: ['mqtt', 'port'], numeric: true },
  XS_BROKER_TLS_PORT: { path: ['tls', 'port'], numeric: true },
  XS_BROKER_TLS_CERT: { path: ['tls', 'certFile'] },
  XS_BROKER_TLS_KEY: { path: ['tls', 'keyFile'] },
  XS_BROKER_WS_PORT: { path: ['ws', 'port'], numeric: true },
  XS_BROKER_HTTP_PORT: { path: ['http', 'port'], numeric: true },
  XS_DATA_DIR: { path: ['dataDir'] },
  XS_BROKER_PUBLIC_URL: { path: ['publicUrl'] },
  XS_BROKER_MAX_PACKET_SIZE: { path: ['limits', 'maxPacketSize'], numeric: true },
  XS_BROKER_DRAIN_TIMEOUT: { path: ['drainTimeout'], numeric: true },
  XS_BROKER_COLLECTOR_PASSWORD: { path: ['services', 'collector'] },
  XS_BROKER_CONSOLE_PASSWORD: { path: ['services', 'console'] },
  XS_BROKER_LOG_LEVEL: { path: ['logLevel'] },
  XS_BROKER_COALESCE_WRITES: { path: ['mqtt', 'coalesceWrites'], boolean: true },
};

const FLAGS: Record<string, { path: string[]; numeric?: boolean }> = {
  '--host': { path: ['host'] },
  '--port': { path: ['mqtt', 'port'], numeric: true },
  '--tls-port': { path: ['tls', 'port'], numeric: true },
  '--tls-cert': { path: ['tls', 'certFile'] },
  '--tls-key': { path: ['tls', 'keyFile'] },
  '--ws-port': { path: ['ws', 'port'], numeric: true },
  '--ws-path': { path: ['ws', 'path'] },
  '--http-port': { path: ['http', 'port'], numeric: true },
  '--data': { path: ['dataDir'] },
  '--public-url': { path: ['publicUrl'] },
  '--redis': { path: ['persistence', 'url'] },
  '--max-packet-size': { path: ['limits', 'maxPacketSize'], numeric: true },
  '--log-level': { path: ['logLevel'] },
};

/** Numbers stay strings when they do not parse so the schema reports them with their source. */
/** true|1 and false|0 become booleans; anything else stays text, for the schema to name in its error. */
function asBoolean(raw: string): unknown {
  return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
}

function coerce(raw: string, numeric: boolean | undefined, boolean?: boolean): unknown {
  if (boolean) return asBoolean(raw);
  if (!numeric) return raw;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

function flatten(tree: unknown, source: Source, prefix: string[] = []): Setting[] {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree))
    return [{ path: prefix, value: tree, source }];
  return Object.entries(tree as Tree).flatMap(([k, v]) => flatten(v, source, [...prefix, k]));
}

export interface ConfigSources {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Splits `--flag value` / `--flag=value` pairs; `--config` names the JSON file. */
function parseFlags(argv: string[]): { configFile?: string; settings: Setting[] } {
  const settings: Setting[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name !== '--config' && !FLAGS[name]) throw new ConfigError(`unknown flag ${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`flag ${name} needs a value`);
    if (name === '--config') configFile = value;
    else {
      const flag = FLAGS[name];
      if (flag)
        settings.push({ path: flag.path, value: coerce(value, flag.numeric), source: `flag ${name}` });
      if (name === '--redis')
        settings.push({ path: ['persistence', 'kind'], value: 'redis', source: `flag ${name}` });
    }
  }
  return { configFile, settings };
}

function readConfigFile(file: string): Setting[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config file ${file} must hold a JSON object`);
  return flatten(parsed, `file ${file}`);
}

/** Layers file < environment < flags, then validates; errors name the field and the layer it came from. */
export function loadConfig(sources: ConfigSources = {}): BrokerConfig {
  const env = sources.env ?? process.env;
  const flags = parseFlags(sources.argv ?? []);
  const file = flags.configFile ?? env.XS_BROKER_CONFIG;
  const settings: Setting[] = file ? readConfigFile(file) : [];
  for (const [name, spec] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '')
      settings.push({
        path: spec.path,
        value: coerce(raw, spec.numeric, spec.boolean),
        source: `environment ${name}`,
      });
  }
  if (env.XS_BROKER_REDIS_URL) {
    settings.push({
      path: ['persistence', 'kind'],
      value: 'redis',
      source: 'environment XS_BROKER_REDIS_URL',
    });
    settings.push({
      path: ['persistence', 'url'],
      value: env.XS_BROKER_REDIS_URL,
      source: 'environment XS_BROKER_REDIS_URL',
    });
  }
  const journal = env.XS_BROKER_OUTGOING_JOURNAL;
  if (journal !== undefined && journal !== '') settings.push(...journalSettings(journal, settings));
  settings.push(...flags.settings);
  return validate(settings);
}

/** `XS_BROKER_OUTGOING_JOURNAL=true|false`: a LevelDB setting, so it implies LevelDB unless a layer chose a kind. */
function journalSettings(raw: string, earlier: Setting[]): Setting[] {
  const source: Source = 'environment XS_BROKER_OUTGOING_JOURNAL';
  const value = asBoolean(raw);
  const kindChosen = earlier.some((s) => s.path.join('.') === 'persistence.kind');
  return [
    ...(kindChosen ? [] : [{ path: ['persistence', 'kind'], value: 'level', source }]),
    { path: ['persistence', 'outgoingJournal'], value, source },
  ];
}

/** Validates already-layered settings (also used for objects passed to startBroker). */
export function validate(settings: Setting[]): BrokerConfig {
  const tree: Tree = {};
  const origin = new Map<string, Source>();
  for (const s of settings) {
    assign(tree, s.path, s.value);
    origin.set(s.path.join('.'), s.source);
  }
  const result = BrokerConfigSchema.safeParse(tree);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    let source: Source = 'default';
    for (let n = path.length; n > 0; n--) {
      const found = origin.get(path.slice(0, n).join('.'));
      if (found) {
        source = found;
        break;
      }
    }
    return `${path.join('.') || '(root)'} (from ${source}): ${issue.message}`;
  });
  throw new ConfigError(`invalid broker configuration: ${messages.join('; ')}`);
}

/** For programmatic callers: the same validation and error wording for an in-memory object. */
export function configFromObject(input: unknown): BrokerConfig {
  return validate(flatten(input ?? {}, 'file (object passed to startBroker)'));
}
