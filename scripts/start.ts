import { createLogger, shutdownSignal } from '@xaso/simulators';
import { type Service, formatTable, startServices, stopServices } from './service.js';
import { simulatorService } from './simulator-services.js';

/** `npm start`: the local stack — for now simulated stations; broker, collector and console join this list. */
const log = createLogger('start');

const services: Service[] = [
  simulatorService({ name: 'air-station-1', profile: 'air-station-aqms', seed: 11, transport: 'tcp' }, log),
  simulatorService({ name: 'air-station-2', profile: 'air-station-aqms', seed: 12, transport: 'tcp' }, log),
  simulatorService({ name: 'water-station-1', profile: 'water-multiprobe', seed: 21, transport: 'tcp' }, log),
  simulatorService(
    { name: 'pm-sensor-rtu', profile: 'pm-sensor-rs485', seed: 31, transport: 'rtu-pty' },
    log,
  ),
];

const BANNER = `
  Xã Số — local stack
  commune loudspeakers · environmental monitoring
`;

async function main(): Promise<number> {
  console.log(BANNER);
  const running: Service[] = [];
  const stopped = shutdownSignal();

  let status: Awaited<ReturnType<typeof startServices>>;
  try {
    status = await startServices(services, running);
  } catch (err) {
    console.error(`npm start: ${(err as Error).message}`);
    return 1;
  }
  console.log(formatTable(status.endpoints));
  for (const { service, reason } of status.skipped) console.log(`\n  skipped ${service}: ${reason}`);
  console.log('\n  Ready. Press Ctrl-C to stop.');

  const signal = await stopped;
  console.log(`\n  ${signal}: stopping ${running.length} service(s)…`);
  const errors = await stopServices(running);
  for (const error of errors) console.error(`  stop failed: ${error}`);
  console.log('  stopped.');
  return errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`npm start: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
