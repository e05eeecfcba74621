// Modbus requests per poll cycle: the gateway's merged reads vs a naive one-request-per-register poller,
// counted on the wire for every shipped profile.
// usage: npx tsx tests/bench/gateway/requests.ts [--gap 4]
import { parseArgs } from 'node:util';
import { builtinProfiles, sensorRegisters } from '@xaso/device-profiles';
import { planReads } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { startMosquitto } from '../../harness/index.js';
import { Capture } from '../../integration/gateway/capture.js';
import { gatewayConfig, startGateway } from '../../integration/gateway/gateway-fixture.js';
import { ModbusTcpCounter } from '../../integration/gateway/modbus-tcp-counter.js';

const { values } = parseArgs({
  options: { gap: { type: 'string', default: '4' }, cycles: { type: 'string', default: '5' } },
});
const gap = Number(values.gap);
const cycles = Number(values.cycles);
const profiles = [...builtinProfiles().values()].filter((p) => sensorRegisters(p).length > 0);
const sims = profiles.map((profile, i) => new SimulatedDevice({ profile, unitId: i + 1, seed: i }));
const mosquitto = await startMosquitto();
const tcp = new ModbusTcpServer({ devices: sims });
await tcp.start();
const counter = new ModbusTcpCounter({ host: '127.0.0.1', port: tcp.port });
const port = await counter.start();
const capture = await Capture.start(mosquitto.url, 'gw-requests');
const gateway = await startGateway(
  await gatewayConfig({
    deviceId: 'gw-requests',
    mqttUrl: mosquitto.url,
    devices: sims.map((s) => ({
      name: s.profile.name,
      profile: s.profile.name,
      link: { type: 'tcp' as const, host: '127.0.0.1', port },
      unitId: s.unitId,
      pollIntervalMs: 300,
    })),
    extra: { polling: { gapTolerance: gap, timeoutMs: 500 } },
  }),
);
const cyclesOf = (name: string) => capture.batches.filter((b) => b.readings[0]?.source === name).length;
await capture.until('cycles', () => sims.every((s) => cyclesOf(s.profile.name) >= cycles), 60_000);
await gateway.stop();
for (const s of sims) {
  const done = cyclesOf(s.profile.name);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'gateway-requests-per-cycle',
      profile: s.profile.name,
      gapTolerance: gap,
      registers: sensorRegisters(s.profile).length,
      naive: sensorRegisters(s.profile).length,
      planned: planReads(sensorRegisters(s.profile), { gapTolerance: gap }).length,
      measured: Math.round(((counter.requests.get(s.unitId) ?? 0) / done) * 100) / 100,
    })}\n`,
  );
}
await capture.stop();
await counter.stop();
await tcp.stop();
await mosquitto.stop();
