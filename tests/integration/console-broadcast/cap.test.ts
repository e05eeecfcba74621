import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalIso } from '../../../console/src/broadcast/time.js';
import { provinceTree } from './areas.js';
import { startClusters, stopClusters } from './clusters.js';
import type { SimulatedCluster } from './clusters.js';
import { audioItem, startStack } from './stack.js';
import type { Stack } from './stack.js';
import { until } from './wait.js';

const siren = audioItem('Còi báo động lũ', 20_000);
let stack: Stack;
let sims: SimulatedCluster[];
const SENDER = 'pcttkcn@tayninh.gov.vn';

/** CAP times have whole seconds. */
const capTime = (ms: number) => toLocalIso(Math.floor(ms / 1000) * 1000);

function cap(o: {
  id: string;
  msgType?: string;
  status?: string;
  references?: string[];
  expiresInMs?: number;
  area?: string;
  resource?: boolean;
}): string {
  const refs = o.references?.map((r) => `${SENDER},${r},${capTime(Date.now() - 60_000)}`).join(' ');
  const info =
    o.msgType === 'Cancel'
      ? ''
      : `<info>
    <language>vi-VN</language><category>Met</category><event>Lũ</event>
    <urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>
    <expires>${capTime(Date.now() + (o.expiresInMs ?? 3_600_000))}</expires>
    <headline>Lũ trên sông Vàm Cỏ Đông</headline>
    <parameter><valueName>xaso-repeat</valueName><value>5</value></parameter>
    ${o.resource === false ? '' : `<resource><resourceDesc>Còi</resourceDesc><mimeType>audio/mpeg</mimeType><uri>https://console.example/media/${siren.id}</uri></resource>`}
    ${o.area ?? '<area><areaDesc>Xã Tân Lập</areaDesc></area>'}
  </info>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.id}</identifier><sender>${SENDER}</sender><sent>${capTime(Date.now())}</sent>
  <status>${o.status ?? 'Actual'}</status><msgType>${o.msgType ?? 'Alert'}</msgType><scope>Public</scope>
  ${refs ? `<references>${refs}</references>` : ''}
  ${info}
</alert>`;
}

const post = (xml: string, type = 'application/cap+xml') => stack.call('approver', 'POST', '/cap', xml, type);
const sim = (id: string) => sims.find((s) => s.id === id);
const playsOf = (id: string, broadcastId: string) =>
  sim(id)?.commands.find((c) => c.body.type === 'play' && c.body.broadcastId === broadcastId);
const stopsOf = (id: string, broadcastId: string) =>
  sim(id)?.commands.find((c) => c.body.type === 'stop' && c.body.broadcastId === broadcastId);

beforeAll(async () => {
  stack = await startStack({ broker: 'mosquitto', areas: provinceTree() });
  stack.audio.set(siren.id, siren);
  stack.place('a1', 'xa-a');
  stack.place('a2', 'thon-a1');
  stack.place('b1', 'xa-b');
  sims = await startClusters({
    url: stack.mqttUrl,
    ids: ['a1', 'a2', 'b1'],
    groupsOf: (id) => stack.registry.getDevice(id)?.groups ?? [],
    publicKeyPem: stack.ctx.signer.publicKeyPem,
  });
}, 30_000);

afterAll(async () => {
  await stopClusters(sims ?? []);
  await stack?.close();
});

describe('CAP 1.2 alerts become emergency broadcasts', () => {
  it('Alert → emergency for the named commune, Update replaces it, Cancel stops it', async () => {
    const res = await post(cap({ id: 'TN-1' }));
    expect(res.status).toBe(201);
    const first = (await res.json()) as { action: string; broadcastId: string; areaIds: string[] };
    expect(first).toMatchObject({ action: 'broadcast', areaIds: ['xa-a'] });
    const command = await until('a2 alerted', () => playsOf('a2', first.broadcastId));
    expect(command.target).toEqual({ kind: 'group', groupId: 'xa-a' });
    expect(command.body).toMatchObject({ priority: 'emergency', repeat: 5, volume: 100 });
    expect(sim('b1')?.commands).toEqual([]);

    const update = await post(
      cap({
        id: 'TN-2',
        msgType: 'Update',
        references: ['TN-1'],
        area: '<area><areaDesc>lưu vực sông</areaDesc><geocode><valueName>xaso-area</valueName><value>xa-b</value></geocode></area>',
      }),
    );
    expect(update.status).toBe(201);
    const second = (await update.json()) as { broadcastId: string; stopped: string[]; areaIds: string[] };
    expect(second.stopped).toEqual([first.broadcastId]);
    expect(second.areaIds).toEqual(['xa-b']);
    await until('a1 told to stop', () => stopsOf('a1', first.broadcastId));
    await until('b1 alerted', () => playsOf('b1', second.broadcastId));
    expect(
      ((await (await stack.call('approver', 'GET', '/cap/TN-1')).json()) as { state: string }).state,
    ).toBe('superseded');

    const cancel = await post(cap({ id: 'TN-3', msgType: 'Cancel', references: ['TN-2'] }));
    expect(cancel.status).toBe(202);
    expect(await cancel.json()).toMatchObject({ action: 'cancelled', stopped: [second.broadcastId] });
    await until('b1 told to stop', () => stopsOf('b1', second.broadcastId));
    expect(stack.audit.filter((e) => e.action.startsWith('cap.')).map((e) => e.action)).toEqual([
      'cap.alert',
      'cap.update',
      'cap.cancel',
    ]);
  });

  it('honours expires: refuses an expired alert and stops a broadcast when its alert expires', async () => {
    const expired = await post(cap({ id: 'TN-old', expiresInMs: -60_000 }));
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { field: string }).field).toBe('alert.info.expires');

    const res = await post(cap({ id: 'TN-short', expiresInMs: 1500 }));
    const { broadcastId } = (await res.json()) as { broadcastId: string };
    await until('a1 alerted', () => playsOf('a1', broadcastId));
    await until('a1 stopped at expiry', () => stopsOf('a1', broadcastId), 6000);
    expect(
      ((await (await stack.call('approver', 'GET', '/cap/TN-short')).json()) as { state: string }).state,
    ).toBe('expired');
  });

  it('refuses malformed or unusable alerts with a clear 4xx and records tests without sounding them', async () => {
    const cases: [string, string, number, string][] = [
      [
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier>',
        'application/xml',
        400,
        'body',
      ],
      [cap({ id: 'TN-json' }), 'application/json', 400, 'content-type'],
      [
        cap({ id: 'TN-bad' }).replace('<urgency>Immediate</urgency>', ''),
        'application/xml',
        400,
        'alert.info.0.urgency',
      ],
      [
        cap({ id: 'TN-nowhere', area: '<area><areaDesc>Xã Không Tồn Tại</areaDesc></area>' }),
        'application/xml',
        422,
        'alert.info.area',
      ],
      [cap({ id: 'TN-silent', resource: false }), 'application/xml', 422, 'alert.info.resource'],
      [
        cap({ id: 'TN-x', msgType: 'Cancel', references: ['NEVER-SENT'] }),
        'application/xml',
        404,
        'alert.references',
      ],
      [cap({ id: 'TN-1' }), 'application/xml', 409, 'alert.identifier'],
    ];
    for (const [xml, type, status, field] of cases) {
      const res = await post(xml, type);
      const body = (await res.json()) as { field?: string; message?: string };
      expect([res.status, body.field], body.message).toEqual([status, field]);
    }
    const drill = await post(cap({ id: 'TN-drill', status: 'Exercise' }));
    expect(drill.status).toBe(202);
    expect(await drill.json()).toMatchObject({ action: 'recorded' });
    expect((await stack.call('opA', 'POST', '/cap', cap({ id: 'TN-op' }), 'application/xml')).status).toBe(
      403,
    );
  });
});
