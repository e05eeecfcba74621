import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CollectorConfig, CollectorConfigSchema } from './schema.js';

/** A configuration error with every problem listed, so an operator fixes them in one go. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Json = Record<string, unknown>;

function set(target: Json, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1] as string] = value;
}

const NUMERIC = new Set(['metrics.port', 'outbox.batchPoints', 'mqtt.protocolVersion']);

/** Environment variables (and the matching flags) that override single settings. */
const OVERRIDES: Array<{ env: string; flag: string; path: string }> = [
  { env: 'XS_MQTT_URL', flag: 'mqtt-url', path: 'mqtt.url' },
  { env: 'XS_MQTT_USERNAME', flag: 'mqtt-username', path: 'mqtt.username' },
  { env: 'XS_MQTT_PASSWORD', flag: 'mqtt-password', path: 'mqtt.password' },
  { env: 'XS_MQTT_CLIENT_ID', flag: 'mqtt-client-id', path: 'mqtt.clientId' },
  { env: 'XS_INFLUX_URL', flag: 'influx-url', path: 'store.url' },
  { env: 'XS_INFLUX_TOKEN', flag: 'influx-token', path: 'store.token' },
  { env: 'XS_OUTBOX_PATH', flag: 'outbox', path: 'outbox.path' },
  { env: 'XS_OUTBOX_DRAINER', flag: 'outbox-drainer', path: 'outbox.drainer' },
  { env: 'XS_OUTBOX_MODE', flag: 'outbox-mode', path: 'outbox.mode' },
  { env: 'XS_METRICS_PORT', flag: 'metrics-port', path: 'metrics.port' },
  { env: 'XS_LOG_LEVEL', flag: 'log-level', path: 'logLevel' },
];

function readFileConfig(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read collector config ${file}: ${(err as Error).message}`);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error('not a JSON object');
    return json as Json;
  } catch (err) {
    throw new ConfigError(`collector config ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** File (--config or XS_COLLECTOR_CONFIG), then environment, then flags; validated once, all errors at once. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const options: Record<string, { type: 'string' }> = { config: { type: 'string' } };
  for (const o of OVERRIDES) options[o.flag] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const file = (values.config as string | undefined) ?? env.XS_COLLECTOR_CONFIG;
  const raw: Json = file ? readFileConfig(file) : {};
  if (env.XS_INFLUX_URL && raw.store === undefined) raw.store = { kind: 'influxdb' };
  for (const o of OVERRIDES) {
    const value = (values[o.flag] as string | undefined) ?? env[o.env];
    if (value === undefined) continue;
    set(raw, o.path.split('.'), NUMERIC.has(o.path) ? Number(value) : value);
  }
  const result = CollectorConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(
      `invalid collector configuration${file ? ` (${file})` : ''}:\n${problems.join('\n')}`,
    );
  }
  return result.data;
}
