import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createAdaptorServer } from '@hono/node-server';
import { DeviceIdSchema } from '@xaso/device-profiles/contract';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SERVICE_ROLES } from '../policy/principal.js';
import { RegistryError } from '../registry/errors.js';
import { SchemaError } from '../registry/migrations.js';
import { Registry } from '../registry/registry.js';
import { MosquittoCredentials } from './mosquitto-credentials.js';
import { mosquittoEnrollmentRoutes } from './mosquitto-enrollment.js';
import { MosquittoSync } from './mosquitto-sync.js';

export const USAGE = `Usage: npm run mosquitto-config -- --out DIR [--data DIR] [--pid-file FILE] [command]
  (no command)            write DIR/passwd, DIR/acl and DIR/xaso.conf from the registry
  --rotate <id>           issue the device a new MQTT password (printed once), then write the files
  --service collector|console
                          issue the service a new MQTT password (printed once), then write the files
  --watch                 keep the files in step with the registry (disable, rotate, groups) until stopped
    [--enroll-port N --mqtt-url URL [--enroll-host H]]
                          and serve POST /enroll (gateways trade codes for passwords Mosquitto knows)
  --pid-file FILE         Mosquitto's pid_file: send it SIGHUP after every write
  --data DIR              data directory holding registry.sqlite (default ./data)`;

const ArgsSchema = z.object({
  out: z.string({ error: 'required: the directory to write the files to' }).min(1),
  data: z.string().min(1).default('./data'),
  'pid-file': z.string().min(1).optional(),
  rotate: DeviceIdSchema.optional(),
  service: z.enum(SERVICE_ROLES).optional(),
  watch: z.boolean().optional(),
  'enroll-port': z.coerce.number().int().min(1).max(65535).optional(),
  'enroll-host': z.string().min(1).default('127.0.0.1'),
  'mqtt-url': z.url({ protocol: /^mqtts?$/ }).optional(),
});

class UsageError extends Error {}

function parse(argv: string[]): z.infer<typeof ArgsSchema> {
  let values: unknown;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        out: { type: 'string' },
        data: { type: 'string' },
        'pid-file': { type: 'string' },
        rotate: { type: 'string' },
        service: { type: 'string' },
        watch: { type: 'boolean' },
        'enroll-port': { type: 'string' },
        'enroll-host': { type: 'string' },
        'mqtt-url': { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const r = ArgsSchema.safeParse(values);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(`--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const commands = [r.data.rotate, r.data.service, r.data.watch].filter((c) => c !== undefined);
  if (commands.length > 1) throw new UsageError('choose one of --rotate, --service, --watch');
  if (r.data['enroll-port'] !== undefined && (!r.data.watch || r.data['mqtt-url'] === undefined))
    throw new UsageError('--enroll-port: needs --watch and --mqtt-url (the address devices connect to)');
  return r.data;
}

/** Mosquitto writes its pid followed by a newline; a missing or unreadable file means "not running". */
function pidFrom(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function serveEnrollment(
  args: z.infer<typeof ArgsSchema>,
  registry: Registry,
  credentials: MosquittoCredentials,
  logger: Logger,
): Promise<{ port: number; close(): Promise<void> } | null> {
  const port = args['enroll-port'];
  const mqttUrl = args['mqtt-url'];
  if (port === undefined || mqttUrl === undefined) return null;
  const app = mosquittoEnrollmentRoutes({ registry, credentials, mqttUrl, logger });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, args['enroll-host'], resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Exit codes: 0 done, 1 refused (unknown device, database problem), 2 bad usage. */
export async function main(
  argv: string[],
  out: (line: string) => void,
  err: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(USAGE);
    return 0;
  }
  let registry: Registry | undefined;
  try {
    const args = parse(argv);
    const logger = pino(
      { name: 'mosquitto-config', level: process.env.LOG_LEVEL ?? 'warn' },
      pino.destination(2),
    );
    registry = Registry.open(join(resolve(args.data), 'registry.sqlite'), { logger });
    const credentials = MosquittoCredentials.open(registry);
    const pidFile = args['pid-file'];
    const dir = resolve(args.out);
    const sync = new MosquittoSync({
      registry,
      credentials,
      dir,
      pid: () => (pidFile === undefined ? null : pidFrom(pidFile)),
      logger,
    });
    if (args.rotate !== undefined) {
      const { password } = credentials.issueDevice(args.rotate);
      out(`New MQTT password for ${args.rotate} (shown once): ${password}`);
    }
    if (args.service !== undefined) {
      const { username, password } = credentials.issueService(args.service);
      out(`MQTT credentials for the ${args.service} (shown once): username ${username} password ${password}`);
    }
    await sync.sync(args.watch ? 'start' : 'cli');
    out(`Wrote ${dir}/passwd, acl and xaso.conf.`);
    if (args.watch) {
      sync.start();
      const enrollment = await serveEnrollment(args, registry, credentials, logger);
      if (enrollment) out(`Serving POST /enroll on http://${args['enroll-host']}:${enrollment.port}`);
      await new Promise<void>((done) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
      });
      await enrollment?.close();
      await sync.stop();
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`mosquitto-config: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof RegistryError || error instanceof SchemaError) {
      err(`mosquitto-config: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    registry?.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
