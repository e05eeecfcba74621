import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { startConsole } from '@xaso/console';
import { type Alarm, AlarmSchema, CommandSchema, topics } from '@xaso/device-profiles/contract';
import type { Command } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePackage } from '../../harness/index.js';
import { until } from '../console-broadcast/wait.js';
import { startConsoleStack } from '../console/fixture.js';
import type { ConsoleStack } from '../console/fixture.js';

const STATION = 'aqms-tan-bien';
let stack: ConsoleStack;
let collector: MqttClient;
/** Commands each in-test cluster received, verified against the console's public key. */
const received = new Map<string, Command[]>();
const unsigned: unknown[] = [];

const plays = (clusterId: string) =>
  (received.get(clusterId) ?? []).filter((c) => c.body.type === 'play' && c.body.priority === 'emergency');

function alarm(id: string, overrides: Partial<Alarm> = {}): Alarm {
  return AlarmSchema.parse({
    v: 1,
    id,
    stationId: STATION,
    ruleId: 'pm25-1h',
    state: 'raised',
    severity: 'critical',
    ts: Date.now(),
    channel: 'pm25',
    value: 87.4,
    limit: 50,
    unit: 'µg/m³',
    standard: 'QCVN 05:2023/BTNMT',
    message: 'PM2.5 trung bình 1 giờ vượt QCVN',
    autoBroadcast: true,
    ...overrides,
  });
}

async function publishAlarm(payload: Alarm | string, stationId = STATION): Promise<void> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  await collector.publishAsync(topics.alarm(stationId), body, { qos: 1 });
}

/** Waits until the console has recorded the alarm id (or logged a rejection): the real "nothing happened". */
async function warningRow(alarmId: string) {
  const admin = await stack.login('admin');
  return until(
    `alarm ${alarmId} recorded`,
    async () => {
      const res = await admin.get<{
        warnings: { alarmId: string; outcome: string; reason: string | null }[];
      }>('/api/alarm-warnings');
      return res.body.warnings.find((w) => w.alarmId === alarmId);
    },
    30_000,
  );
}

beforeAll(async () => {
  await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
  stack = await startConsoleStack();
  stack.registry.createDevice({ id: STATION, role: 'sensor-gateway', areaId: 'ap-thanh-binh' });
  for (const [id, areaId] of [
    ['loa-thanh-binh', 'ap-thanh-binh'],
    ['loa-hoa-binh', 'ap-hoa-binh'],
  ] as const) {
    const cluster = await stack.createCluster(id, areaId);
    const client = await stack.connect(cluster);
    received.set(id, []);
    client.on('message', (_topic, payload) => {
      const raw: unknown = JSON.parse(payload.toString('utf8'));
      const parsed = CommandSchema.safeParse(raw);
      if (parsed.success && verifyMessage(raw, stack.ctx.signer.publicKeyPem))
        received.get(id)?.push(parsed.data);
      else unsigned.push(raw);
    });
    for (const group of cluster.groups) await client.subscribeAsync(topics.groupCommand(group), { qos: 1 });
  }
  // The collector's own service principal: the broker lets it publish on alarm topics only.
  collector = await stack.connect(stack.registry.ensureService('collector'), { clientId: 'collector-test' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('a raised autoBroadcast alarm from the collector', () => {
  it('sends one signed emergency warning to every cluster of the station commune, spoken in Vietnamese', async () => {
    await publishAlarm(alarm('al-1'));
    const first = await until(
      'a warning on both clusters',
      () => {
        const a = plays('loa-thanh-binh');
        const b = plays('loa-hoa-binh');
        return a.length > 0 && b.length > 0 && a[0];
      },
      30_000,
    );
    if (first.body.type !== 'play') throw new Error('expected a play command');
    expect(first.issuer).toBe('system:alarms');
    const audioId = first.body.playlist[0]?.audioId ?? '';
    expect(stack.ctx.audio.get(audioId)?.durationMs).toBeGreaterThan(1000);
    const row = await warningRow('al-1');
    expect(row.outcome).toBe('sent');
    const recorded = stack.ctx.db
      .prepare("SELECT actor, target FROM console_audit WHERE action = 'alarm.warning'")
      .all();
    expect(recorded).toEqual([{ actor: 'system:alarms', target: 'al-1' }]);
    const broadcast = stack.ctx.db
      .prepare('SELECT created_by, origin FROM broadcasts WHERE id = ?')
      .get(first.body.broadcastId);
    expect(broadcast).toEqual({ created_by: 'system:alarms', origin: 'alarm' });
    const admin = await stack.login('admin');
    const list = await admin.get<{ warnings: { alarmId: string; text: string }[] }>('/api/alarm-warnings');
    expect(list.body.warnings[0]?.text).toContain('Cảnh báo ô nhiễm không khí tại Xã Tân Biên');
    expect(list.body.warnings[0]?.text).toContain('87 phẩy 4');
    expect(unsigned).toEqual([]);
  }, 60_000);

  it('does not sound again when the same alarm is delivered again', async () => {
    await publishAlarm(alarm('al-1'));
    // A later marker alarm (no commune) proves the console has processed the redelivery by then.
    await publishAlarm(alarm('al-marker', { stationId: 'aqms-unplaced' }), 'aqms-unplaced');
    expect((await warningRow('al-marker')).outcome).toBe('no-commune');
    expect(stack.logs.filter((l) => l.msg === 'alarm already handled' && l.alarm === 'al-1')).toHaveLength(1);
    // A second warning would need speech first; give it the time the first one took.
    await sleep(1500);
    expect(plays('loa-thanh-binh')).toHaveLength(1);
    expect(plays('loa-hoa-binh')).toHaveLength(1);
  }, 60_000);

  it('stays silent within the commune cooldown, for autoBroadcast=false, and for a malformed alarm', async () => {
    await publishAlarm(alarm('al-2'));
    expect((await warningRow('al-2')).outcome).toBe('cooldown');
    await publishAlarm(alarm('al-3', { ruleId: 'pm10-24h', autoBroadcast: false }));
    await publishAlarm('{"v":1,"id":"al-bad","state":"raised"}');
    await until(
      'the malformed alarm logged with its reason',
      () => stack.logs.find((l) => l.msg === 'alarm rejected' && String(l.reason).includes('stationId')),
      10_000,
    );
    await publishAlarm(alarm('al-marker-2', { stationId: 'aqms-unplaced' }), 'aqms-unplaced');
    await warningRow('al-marker-2');
    const admin = await stack.login('admin');
    const list = await admin.get<{ warnings: { alarmId: string }[] }>('/api/alarm-warnings');
    expect(list.body.warnings.map((w) => w.alarmId)).not.toContain('al-3');
    expect(plays('loa-thanh-binh')).toHaveLength(1);
    expect(plays('loa-hoa-binh')).toHaveLength(1);
  }, 60_000);

  it('does not sound an alarm it handled before a console restart', async () => {
    await stack.console.close();
    const logs: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
        cb();
      },
    });
    // Same data directory and registry as the fixture's console: the handled ids live in its database.
    const restarted = await startConsole(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: join(stack.dir, 'console'),
        registryDb: join(stack.dir, 'broker', 'registry.sqlite'),
        mqtt: { url: stack.mqttUrl, clientId: 'console-restarted' },
        areasFile: join(stack.dir, 'areas.json'),
        logLevel: 'debug',
        passwordHashCost: 12,
      },
      { logger: pino({ level: 'debug' }, sink) },
    );
    try {
      await publishAlarm(alarm('al-1'));
      await until(
        'the restarted console to skip al-1',
        () => logs.find((l) => l.msg === 'alarm already handled' && l.alarm === 'al-1'),
        10_000,
      );
      await sleep(1500);
      expect(plays('loa-thanh-binh')).toHaveLength(1);
      expect(plays('loa-hoa-binh')).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  }, 60_000);
});
