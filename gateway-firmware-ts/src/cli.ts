import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadLocalConfig } from './config/local-config.js';
import { Gateway, type RoleFactory } from './core/gateway.js';
import { enroll } from './enroll/enroll.js';
import { BusPool } from './sensor/bus-pool.js';
import { sensorRoleFactory } from './sensor/index.js';
import { speakerRoleFactory } from './speaker/index.js';
import { type OpenedSpeakerParts, openSpeakerParts } from './speaker/parts.js';

const USAGE = `usage:
  npm run gateway -- enroll --url <enrollment-url> --device <id> --code <code> --config <file> [--data-dir <dir>]
      trade a one-time enrollment code (console: device page, or \`npm run enroll\` on the server) for MQTT
      credentials and the console's signing key; merges them into <file> (created if missing, mode 0600)
  npm run gateway -- --config <file>
      run the gateway: poll the instruments listed in <file>, queue every reading on disk, forward over MQTT;
      SIGINT/SIGTERM stop cleanly
  npm run gateway -- --help

options:
  --url <enrollment-url>   the server's enrollment endpoint base (the broker HTTP port, or the proxy in front)
  --device <id>            the device id the code was issued for
  --code <code>            the one-time code (single use, expires)
  --config <file>          the gateway's local config (deploy: /etc/xaso-gateway/gateway.json)
  --data-dir <dir>         dataDir written into a new config (default /var/lib/xaso-gateway)

environment:
  LOG_LEVEL                pino log level (default info)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function runEnroll(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      device: { type: 'string' },
      code: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  if (!values.url || !values.device || !values.code || !values.config)
    fail(`enroll needs --url, --device, --code and --config\n${USAGE}`);
  const result = await enroll({
    url: values.url,
    deviceId: values.device,
    code: values.code,
    configFile: values.config,
    dataDir: values['data-dir'],
  });
  process.stdout.write(`enrolled ${result.deviceId}; credentials written to ${values.config} (mode 0600)\n`);
}

async function runGateway(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } } });
  if (!values.config) fail(`missing --config\n${USAGE}`);
  const log = pino({ name: 'xaso-gateway', level: process.env.LOG_LEVEL ?? 'info' });
  let config: ReturnType<typeof loadLocalConfig>;
  try {
    config = loadLocalConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const pool = new BusPool();
  const factories: RoleFactory[] = [sensorRoleFactory];
  let speaker: OpenedSpeakerParts | undefined;
  if (config.speaker) {
    speaker = await openSpeakerParts(config, config.speaker, pool, log);
    factories.push(speakerRoleFactory(speaker.parts, config.speaker));
  }
  // A `reboot` command: a clean stop, then systemd (Restart=always) starts the program again.
  const gateway = new Gateway(config, factories, log, { onRestartRequest: (reason) => shutdown(reason) });
  let stopping = false;
  function shutdown(signal: string): void {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    gateway
      .stop()
      .then(() => speaker?.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'unclean stop');
          process.exit(1);
        },
      );
  }
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  speaker?.start();
  await gateway.start();
  log.info(
    { deviceId: config.deviceId, devices: gateway.effectiveSettings.devices.length },
    'gateway running',
  );
}

const [first, ...rest] = process.argv.slice(2);
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const main = first === 'enroll' ? runEnroll(rest) : runGateway(process.argv.slice(2));
main.catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
