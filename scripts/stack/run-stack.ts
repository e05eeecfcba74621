import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { shutdownSignal } from '@xaso/simulators';
import { historyService } from '../fleet/history-service.js';
import { speakerProvince } from '../fleet/speaker-province.js';
import { stationFleet } from '../fleet/station-fleet.js';
import { writeAreasFile } from '../province/areas-file.js';
import type { Province } from '../province/province.js';
import { type Endpoint, type Service, formatTable, startServices, stopServices } from '../service.js';
import { brokerService } from './broker-service.js';
import { vietnamClock } from './clock.js';
import { collectorService } from './collector-service.js';
import type { StartConfig } from './config-load.js';
import { consoleService } from './console-service.js';
import { stackLog } from './logging.js';
import { ReadingTally } from './reading-tally.js';
import { CREDENTIALS_FILE, serviceCredentials } from './service-credentials.js';

const BANNER = `
  Xã Số — commune loudspeakers · environmental monitoring
`;

/** Starts every service, prints where they run, waits for Ctrl-C and stops them; resolves with the exit code. */
export async function runStack(config: StartConfig, province: Province | undefined): Promise<number> {
  const { dataDir, settings } = config;
  mkdirSync(dataDir, { recursive: true });
  const { log, fleetLog, where: logWhere, flush } = stackLog(settings, dataDir);
  const credentials = serviceCredentials(dataDir);
  const collectorPassword = config.broker.services.collector ?? credentials.collector;
  const broker = brokerService(
    {
      ...config.broker,
      services: {
        collector: collectorPassword,
        console: config.broker.services.console ?? credentials.console,
      },
    },
    log,
  );
  const collector = collectorService({
    config: config.collector,
    password: collectorPassword,
    broker: () => broker.running(),
    mqttUrl: settings.mqttUrl,
    log,
  });
  const webConsole = consoleService({
    config: config.console,
    password: config.console.mqtt.password ?? credentials.console,
    collectorStateDb: config.collector.outbox.path,
    timeSeries: config.collector.store,
    collectorAlarms: () => collector.running().alarms,
    areasFile: province && writeAreasFile(province, join(dataDir, 'sim', 'areas.json')),
    broker: () => broker.running(),
    mqttUrl: settings.mqttUrl,
    log,
  });
  const services: Service[] = [broker, collector, webConsole];
  if (province)
    services.push(
      historyService({
        province,
        store: () => collector.running().store,
        dataDir,
        days: settings.simulation.backfillDays,
        stepMinutes: settings.simulation.backfillStepMinutes,
      }),
      stationFleet({
        province,
        dataDir,
        waterLink: settings.simulation.waterLink,
        broker: () => broker.running(),
        mqttUrl: settings.mqttUrl,
        log: fleetLog,
      }),
      speakerProvince({
        province,
        clusters: settings.simulation.clusters,
        dataDir,
        broker: () => broker.running(),
        console: () => webConsole.running(),
        log: fleetLog,
        announce: (line) => process.stdout.write(`  ${vietnamClock()}  ${line}\n`),
      }),
    );

  const stopped = shutdownSignal();
  const running: Service[] = [];
  process.stdout.write(`${BANNER}\n`);
  let status: Awaited<ReturnType<typeof startServices>>;
  try {
    status = await startServices(services, running, (s) => process.stdout.write(`  starting ${s.name}…\n`));
  } catch (err) {
    log.error({ err: (err as Error).message }, 'start failed');
    process.stderr.write(`npm start: ${(err as Error).message}\n`);
    flush();
    return 1;
  }
  const stackRows: Endpoint[] = [
    { service: 'stack', what: 'data', where: dataDir, detail: `service passwords in ${CREDENTIALS_FILE}` },
    { service: 'stack', what: 'log', where: logWhere, detail: `level ${settings.log.level}` },
  ];
  process.stdout.write(`\n${formatTable([...stackRows, ...status.endpoints])}\n`);
  for (const { service, reason } of status.skipped) process.stdout.write(`\n  ${service}: ${reason}\n`);

  const tally = new ReadingTally(new Set(province?.stations.map((s) => s.id) ?? []));
  tally.attach(collector.running());
  const adminPassword = webConsole.adminPassword();
  if (adminPassword)
    process.stdout.write(
      `\n  First start: sign in to the console as "admin" with the one-time password\n\n      ${adminPassword}\n\n  It is shown only now; the console asks for a new one at the first sign-in.\n`,
    );
  const mode = province
    ? `${province.stations.length} simulated stations of ${province.province}`
    : 'no simulation';
  process.stdout.write(`\n  Ready (${mode}). Press Ctrl-C to stop.\n`);

  const report = () => {
    if (tally.justCompleted())
      process.stdout.write(`  ${vietnamClock()}  all ${province?.stations.length} stations reporting\n`);
  };
  collector.running().observe(() => report());
  const interval = settings.statusIntervalS;
  const summaries =
    interval > 0
      ? setInterval(() => {
          const outbox = collector.running().outbox.depth().points;
          process.stdout.write(`  ${vietnamClock()}  ${tally.summary(outbox)}\n`);
        }, interval * 1000)
      : undefined;

  const signal = await stopped;
  clearInterval(summaries);
  process.stdout.write(`\n  ${signal}: stopping ${running.length} service(s)…\n`);
  const errors = await stopServices(running);
  for (const error of errors) process.stderr.write(`  stop failed: ${error}\n`);
  log.info({ signal, errors: errors.length }, 'stack stopped');
  flush();
  process.stdout.write('  stopped.\n');
  return errors.length ? 1 : 0;
}
