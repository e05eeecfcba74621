// Gateway RSS and CPU while polling 10 devices every 10 s.
// usage: npx tsx tests/bench/gateway/resources.ts [--seconds 60] [--devices 10] [--interval-ms 10000] [--bundle]
//        [--node-args='--max-semi-space-size=1']
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getProfile } from '@xaso/device-profiles';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { Capture } from '../../integration/gateway/capture.js';
import { GatewayProcess } from '../../integration/gateway/gateway-process.js';
import { cpuSeconds, rssBytes } from './proc-stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    devices: { type: 'string', default: '10' },
    'interval-ms': { type: 'string', default: '10000' },
    'node-args': { type: 'string', default: '' },
    bundle: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const count = Number(values.devices);
const intervalMs = Number(values['interval-ms']);
const names = ['air-station-aqms', 'water-multiprobe', 'pm-sensor-rs485'];

const mosquitto = await startMosquitto();
const sims = Array.from(
  { length: count },
  (_, i) =>
    new SimulatedDevice({
      profile: getProfile(names[i % names.length] ?? 'pm-sensor-rs485'),
      unitId: i + 1,
      seed: i,
    }),
);
const tcp = new ModbusTcpServer({ devices: sims });
await tcp.start();
const dir = await tempDir('xs-gw-bench-res-');
const capture = await Capture.start(mosquitto.url, 'gw-bench');
const nodeArgs = (values['node-args'] ?? '').split(' ').filter((a) => a !== '');
// --bundle: the esbuild bundle under plain node (how the service runs), else the sources under tsx.
const bundle = values.bundle ? join(dir, 'gateway.mjs') : undefined;
if (bundle) {
  const script = join(import.meta.dirname, '../../../gateway-firmware-ts/scripts/bundle.ts');
  execFileSync(process.execPath, ['--import', 'tsx', script, '--out', bundle]);
}
const gateway = new GatewayProcess(join(dir, 'gateway.json'), join(dir, 'gateway.log'), nodeArgs, bundle);
gateway.writeConfig({
  deviceId: 'gw-bench',
  mqtt: { url: mosquitto.url },
  dataDir: join(dir, 'data'),
  devices: sims.map((s) => ({
    name: `dev-${s.unitId}`,
    profile: s.profile.name,
    link: { type: 'tcp', host: '127.0.0.1', port: tcp.port },
    unitId: s.unitId,
    pollIntervalMs: intervalMs,
  })),
  statusIntervalS: 60,
});
gateway.start();
await capture.until(
  'first cycle',
  () => new Set(capture.batches.flatMap((b) => b.readings.map((r) => r.source))).size >= count,
  30_000,
);
// Let start-up (module loading, JIT) settle before measuring the steady state.
await new Promise((r) => setTimeout(r, 5000));
const cpu0 = cpuSeconds(gateway.pid);
const batches0 = capture.batches.length;
let rssMax = 0;
const t0 = Date.now();
while (Date.now() - t0 < seconds * 1000) {
  rssMax = Math.max(rssMax, rssBytes(gateway.pid));
  await new Promise((r) => setTimeout(r, 1000));
}
const elapsed = (Date.now() - t0) / 1000;
const cpu = cpuSeconds(gateway.pid) - cpu0;
const result = {
  bench: 'gateway-resources',
  devices: count,
  pollIntervalMs: intervalMs,
  runtime: bundle ? 'node + bundle' : 'node + tsx',
  nodeArgs,
  seconds: Math.round(elapsed),
  batches: capture.batches.length - batches0,
  rssMB: Math.round((rssBytes(gateway.pid) / 2 ** 20) * 10) / 10,
  rssMaxMB: Math.round((rssMax / 2 ** 20) * 10) / 10,
  cpuPercentOfOneCore: Math.round((cpu / elapsed) * 10000) / 100,
  targets: { rssMB: 80, cpuPercent: 2 },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await gateway.kill('SIGTERM');
await capture.stop();
await tcp.stop();
await mosquitto.stop();
