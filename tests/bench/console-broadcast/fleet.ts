// A fleet of simulated loudspeaker gateways in its own process, so the console under test does not share
// its event loop: `tsx fleet.ts <mqttUrl> <count> <publicKeyPemFile> <group>`. Prints "ready" on stdout.
import { createPublicKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AckSchema, CommandSchema, topics } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import mqtt from 'mqtt';

const [url = '', countText = '0', keyFile = '', group = ''] = process.argv.slice(2);
const key = createPublicKey(readFileSync(keyFile, 'utf8'));
const ids = Array.from({ length: Number(countText) }, (_, i) => `loa-${String(i).padStart(5, '0')}`);
const run = randomUUID().slice(0, 8);

await Promise.all(
  ids.map(async (id) => {
    const client = await mqtt.connectAsync(url, {
      clientId: `${id}-${run}`,
      reconnectPeriod: 0,
      connectTimeout: 30_000,
    });
    client.on('message', (_topic, payload) => {
      const json = JSON.parse(payload.toString('utf8')) as { probe?: string };
      // Baseline probes are unsigned: the same broker round trip without the console's work.
      const commandId = json.probe ?? CommandSchema.parse(json).id;
      if (json.probe === undefined && !verifyMessage(json, key)) return;
      const ack = AckSchema.parse({
        v: 1,
        deviceId: id,
        ref: { kind: 'command', commandId },
        status: 'received',
        ts: Date.now(),
      });
      client.publish(topics.ack(id), JSON.stringify(ack), { qos: 1 });
    });
    await client.subscribeAsync(topics.groupCommand(group), { qos: 1 });
  }),
);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
