import { createInterface } from 'node:readline';
import { getProfile } from '@xaso/device-profiles';
import { CLI_USAGE, type CliOptions, parseCliArgs } from './cli-args.js';
import { runControlCommand } from './control.js';
import { SimulatedDevice } from './device.js';
import { createLogger } from './logger.js';
import { shutdownSignal } from './shutdown.js';
import { Simulation, describeListener } from './simulation.js';

const log = createLogger('sim');

function buildDevices(options: CliOptions): SimulatedDevice[] {
  return options.profiles.map((name, i) => {
    const profile = getProfile(name);
    return new SimulatedDevice({
      profile,
      unitId: options.units[i] ?? profile.transport.unitId,
      seed: options.seed + i,
      faults: options.faults,
    });
  });
}

async function main(): Promise<number> {
  const stopRequested = shutdownSignal();
  let options: CliOptions | 'help';
  let devices: SimulatedDevice[];
  try {
    options = parseCliArgs(process.argv.slice(2));
    if (options === 'help') {
      console.log(CLI_USAGE);
      return 0;
    }
    devices = buildDevices(options);
  } catch (err) {
    console.error(`sim: ${(err as Error).message}\n\n${CLI_USAGE}`);
    return 2;
  }
  const rtu = options.pty
    ? { pty: true as const, baudRate: options.baud }
    : options.rtu
      ? { path: options.rtu, baudRate: options.baud }
      : undefined;
  const tcp = options.port !== undefined ? { host: options.host, port: options.port } : undefined;
  let simulation: Simulation;
  try {
    simulation = new Simulation({ devices, tcp, rtu, logger: log });
    for (const listener of await simulation.start()) console.log(`simulating ${describeListener(listener)}`);
  } catch (err) {
    console.error(`sim: ${(err as Error).message}`);
    return 1;
  }

  const controls = createInterface({ input: process.stdin, terminal: false });
  controls.on('line', (line) => {
    runControlCommand({ devices, rtu: simulation.rtu }, line)
      .then((answer) => answer && console.log(answer))
      .catch((err: Error) => console.log(`error: ${err.message}`));
  });

  log.info({ signal: await stopRequested }, 'stopping');
  controls.close();
  await simulation.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`sim: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
