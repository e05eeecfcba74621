import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
// The schema modules alone, not the packages: a configuration error comes back before the servers load.
import { assign } from '../../broker/src/config/config-tree.js';
import { type BrokerConfig, BrokerConfigSchema } from '../../broker/src/config/schema.js';
import { type CollectorConfig, CollectorConfigSchema } from '../../collector/src/config/schema.js';
import { type ConsoleConfig, ConsoleConfigSchema } from '../../console/src/config/schema.js';
import { StartConfigSchema, type StartSettings } from './config-schema.js';

/** A setting that cannot be used; the message names each field and where its value came from. */
export class StartConfigError extends Error {
  override name = 'StartConfigError';
}

type Tree = { [key: string]: unknown };
type Source = `file ${string}` | `environment ${string}` | `flag ${string}`;
interface Setting {
  path: string[];
  value: unknown;
  source: Source;
}

/** Environment variables, each onto one field (documented in docs/deploy.md). */
const ENV: Record<string, { path: string[]; numeric?: boolean }> = {
  XS_DATA_DIR: { path: ['dataDir'] },
  XS_MQTT_URL: { path: ['mqttUrl'] },
  XS_HOST: { path: ['host'] },
  XS_LOG_LEVEL: { path: ['log', 'level'] },
  XS_LOG_FILE: { path: ['log', 'file'] },
  XS_MQTT_PORT: { path: ['broker', 'mqtt', 'port'], numeric: true },
  XS_BROKER_HTTP_PORT: { path: ['broker', 'http', 'port'], numeric: true },
  XS_BROKER_PUBLIC_URL: { path: ['broker', 'publicUrl'] },
  XS_BROKER_TLS_PORT: { path: ['broker', 'tls', 'port'], numeric: true },
  XS_BROKER_TLS_CERT: { path: ['broker', 'tls', 'certFile'] },
  XS_BROKER_TLS_KEY: { path: ['broker', 'tls', 'keyFile'] },
  XS_METRICS_PORT: { path: ['collector', 'metrics', 'port'], numeric: true },
  XS_INFLUX_URL: { path: ['collector', 'store', 'url'] },
  XS_INFLUX_TOKEN: { path: ['collector', 'store', 'token'] },
  XS_INFLUX_DB: { path: ['collector', 'store', 'db'] },
  XS_INFLUX_BUCKET: { path: ['collector', 'store', 'bucket'] },
  XS_INFLUX_ORG: { path: ['collector', 'store', 'org'] },
  XS_CONSOLE_PORT: { path: ['console', 'port'], numeric: true },
  XS_BACKFILL_DAYS: { path: ['simulation', 'backfillDays'], numeric: true },
  XS_SIM_CLUSTERS: { path: ['simulation', 'clusters'], numeric: true },
  XS_STATUS_INTERVAL_S: { path: ['statusIntervalS'], numeric: true },
};

export interface StartArgs {
  configFile?: string;
  noSim: boolean;
  settings: Setting[];
}

export const START_USAGE = `usage: npm start -- [--no-sim] [--config FILE] [--data DIR]
  --no-sim       only the real services (broker, collector, console), no simulated province
  --config FILE  JSON settings (also XS_CONFIG); see docs/deploy.md
  --data DIR     data directory (also XS_DATA_DIR; default ./data)`;

export function parseStartArgs(argv: readonly string[]): StartArgs {
  const args: StartArgs = { noSim: false, settings: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (name === '--no-sim') {
      args.noSim = true;
      continue;
    }
    if (name !== '--config' && name !== '--data')
      throw new StartConfigError(`unknown option ${arg}\n${START_USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '')
      throw new StartConfigError(`${name} needs a value\n${START_USAGE}`);
    if (name === '--config') args.configFile = value;
    else args.settings.push({ path: ['dataDir'], value, source: 'flag --data' });
  }
  return args;
}

function readFileSettings(file: string): Setting[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StartConfigError(`cannot use config file ${file}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new StartConfigError(`config file ${file} must hold a JSON object`);
  // Arrays and whole objects such as collector.store are kept as one value so a file can replace them.
  const settings: Setting[] = [];
  const walk = (node: Tree, prefix: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const path = [...prefix, key];
      const isSection =
        prefix.length < 2 && value !== null && typeof value === 'object' && !Array.isArray(value);
      if (isSection && path.join('.') !== 'collector.store') walk(value as Tree, path);
      else settings.push({ path, value, source: `file ${file}` });
    }
  };
  walk(parsed as Tree, []);
  return settings;
}

/** A numeric variable that does not parse stays a string so the schema names it. */
function coerce(raw: string, numeric: boolean | undefined): unknown {
  if (!numeric) return raw;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

/** Everything `npm start` runs with, validated. */
export interface StartConfig {
  settings: StartSettings;
  /** Absolute. */
  dataDir: string;
  broker: BrokerConfig;
  /** MQTT URL and service credentials are filled in once the broker runs. */
  collector: CollectorConfig;
  /** Likewise its MQTT URL and service password. */
  console: ConsoleConfig;
  noSim: boolean;
  configFile: string | undefined;
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const both = [b, v].every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
    out[k] = both ? deepMerge(b as Tree, v as Tree) : v;
  }
  return out;
}

/** File (--config / XS_CONFIG) < environment < flags; every problem reported at once. */
export function loadStartConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StartConfig {
  const args = parseStartArgs(argv);
  const configFile = args.configFile ?? (env.XS_CONFIG || undefined);
  const settings = configFile ? readFileSettings(configFile) : [];
  for (const [name, spec] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '')
      settings.push({ path: spec.path, value: coerce(raw, spec.numeric), source: `environment ${name}` });
  }
  if (env.XS_BROKER_REDIS_URL) {
    const source = 'environment XS_BROKER_REDIS_URL' as const;
    settings.push({ path: ['broker', 'persistence', 'kind'], value: 'redis', source });
    settings.push({ path: ['broker', 'persistence', 'url'], value: env.XS_BROKER_REDIS_URL, source });
  }
  if (env.XS_INFLUX_URL)
    settings.push({
      path: ['collector', 'store', 'kind'],
      value: 'influxdb',
      source: 'environment XS_INFLUX_URL',
    });
  settings.push(...args.settings);

  const tree: Tree = {};
  const origin = new Map<string, Source>();
  for (const s of settings) {
    assign(tree, s.path, s.value);
    origin.set(s.path.join('.'), s.source);
  }
  const problems: string[] = [];
  const explain = (error: z.ZodError, prefix: string[]) => {
    for (const issue of error.issues) {
      const path = [...prefix, ...issue.path.map(String)];
      let source = 'default';
      for (let n = path.length; n > 0; n--) {
        const found = origin.get(path.slice(0, n).join('.'));
        if (found) {
          source = found;
          break;
        }
      }
      problems.push(`${path.join('.') || '(root)'} (from ${source}): ${issue.message}`);
    }
  };
  const top = StartConfigSchema.safeParse(tree);
  if (!top.success) explain(top.error, []);
  // With a bad top level the component sections are still checked (over defaults), so one run lists all.
  const section = (key: string) => {
    const value = tree[key];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Tree) : {};
  };
  const s = top.success
    ? top.data
    : {
        ...StartConfigSchema.parse({}),
        broker: section('broker'),
        collector: section('collector'),
        console: section('console'),
      };
  const dataDir = isAbsolute(s.dataDir) ? s.dataDir : resolve(s.dataDir);
  const componentLevel = s.log.level;
  const brokerDefaults: Tree = {
    host: s.host,
    mqtt: { port: 1883 },
    http: { port: 8884 },
    dataDir,
    logLevel: componentLevel,
    // A simulated fleet enrolls from one address; in the field each gateway has its own.
    ...(args.noSim ? {} : { enrollmentLimit: { burst: 200, perMinute: 200 } }),
  };
  const broker = BrokerConfigSchema.safeParse(deepMerge(brokerDefaults, s.broker));
  if (!broker.success) explain(broker.error, ['broker']);
  const clientHost = s.host === '0.0.0.0' || s.host === '::' ? '127.0.0.1' : s.host;
  const userCollector = s.collector as Tree;
  const collectorDefaults: Tree = {
    mqtt: { url: `mqtt://${clientHost}:1883`, clientId: 'collector' },
    outbox: { path: resolve(dataDir, 'collector.db') },
    logLevel: componentLevel,
    ...(userCollector.store === undefined
      ? { store: { kind: 'embedded', path: resolve(dataDir, 'timeseries.db') } }
      : {}),
  };
  const collector = CollectorConfigSchema.safeParse(deepMerge(collectorDefaults, userCollector));
  if (!collector.success) explain(collector.error, ['collector']);
  const consoleDefaults: Tree = {
    host: s.host,
    port: 8080,
    dataDir,
    registryDb: resolve(dataDir, 'registry.sqlite'),
    mqtt: { url: `mqtt://${clientHost}:1883`, clientId: 'console-main' },
    logLevel: componentLevel,
  };
  const consoleConfig = ConsoleConfigSchema.safeParse(deepMerge(consoleDefaults, s.console));
  if (!consoleConfig.success) explain(consoleConfig.error, ['console']);
  if (!top.success || !broker.success || !collector.success || !consoleConfig.success)
    throw new StartConfigError(`invalid npm start configuration:\n  ${problems.join('\n  ')}`);
  return {
    console: consoleConfig.data,
    settings: s,
    dataDir,
    broker: broker.data,
    collector: collector.data,
    noSim: args.noSim,
    configFile,
  };
}
