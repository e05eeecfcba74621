import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provinceTree } from './areas.js';
import { startClusters, stopClusters } from './clusters.js';
import type { SimulatedCluster } from './clusters.js';
import { audioItem, startStack } from './stack.js';
import type { Stack } from './stack.js';

const CLUSTERS = 200;
const warning = audioItem('Cảnh báo bão khẩn cấp', 30_000);
let stack: Stack;
let sims: SimulatedCluster[];

interface Progress {
  expected: number;
  answered: number;
  delivered: boolean;
  finished: boolean;
  silent: string[];
  counts: Record<string, number>;
  receivedLatencyMs: { p99: number | null };
}

beforeAll(async () => {
  stack = await startStack({ broker: 'mosquitto', areas: provinceTree() });
  stack.audio.set(warning.id, warning);
  const ids = Array.from({ length: CLUSTERS }, (_, i) => `loa-${String(i).padStart(3, '0')}`);
  // 190 in the commune (half of them in its village), 10 in the other commune.
  ids.forEach((id, i) => stack.place(id, i < 95 ? 'xa-a' : i < 190 ? 'thon-a1' : 'xa-b'));
  sims = await startClusters({
    url: stack.mqttUrl,
    ids: ids.slice(0, 198),
    groupsOf: (id) => stack.registry.getDevice(id)?.groups ?? [],
    publicKeyPem: stack.ctx.signer.publicKeyPem,
    playMs: 1500,
  });
}, 60_000);

afterAll(async () => {
  await stopClusters(sims ?? []);
  await stack?.close();
});

/** Reads an SSE stream until `stop` says so; returns the parsed events. */
async function readSse(res: Response, stop: (event: string, data: Progress) => boolean) {
  const events: { event: string; data: Progress }[] = [];
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error('no body');
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Progress;
      events.push({ event, data });
      if (stop(event, data)) {
        await reader.cancel();
        return events;
      }
      cut = buffer.indexOf('\n\n');
    }
  }
  return events;
}

describe('emergency broadcast to a whole province', () => {
  it('reaches every cluster through group topics, tracks acks live, and names who did not answer', async () => {
    const started = performance.now();
    const res = await stack.call('approver', 'POST', '/broadcasts/emergency', {
      targets: [{ kind: 'area', areaId: 'tinh' }],
      playlist: [warning.id],
      repeat: 3,
      title: 'Bão số 9',
    });
    expect(res.status).toBe(201);
    const b = (await res.json()) as {
      id: string;
      commandIds: string[];
      clusters: string[];
      priority: string;
    };
    expect(b.priority).toBe('emergency');
    // One publish on the province's group topic reaches all of it.
    expect(b.commandIds).toHaveLength(1);
    expect(b.clusters).toHaveLength(CLUSTERS);

    const stream = await stack.call('approver', 'GET', `/broadcasts/${b.id}/delivery/stream`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(
      stream,
      (_e, p) => p.answered === CLUSTERS - 2 && p.counts.done === CLUSTERS - 2,
    );
    const allAnsweredMs = performance.now() - started;
    // The stream shows the clusters playing before it shows them done.
    expect(events.length).toBeGreaterThan(1);
    expect(events[0]?.event).toBe('progress');
    expect(events.some((e) => (e.data.counts.playing ?? 0) > 0)).toBe(true);
    const last = events.at(-1)?.data;
    expect(last?.delivered).toBe(false);
    expect(last?.silent).toEqual(['loa-198', 'loa-199']);
    expect(last?.finished).toBe(false);

    const full = (await (
      await stack.call('opA', 'GET', `/broadcasts/${b.id}/delivery`)
    ).json()) as Progress & {
      clusters: { clusterId: string; status: string | null }[];
    };
    expect(full.expected).toBe(CLUSTERS);
    expect(full.counts).toMatchObject({ received: 0, playing: 0, done: CLUSTERS - 2, failed: 0, refused: 0 });
    expect(full.clusters.filter((c) => c.status === null).map((c) => c.clusterId)).toEqual([
      'loa-198',
      'loa-199',
    ]);

    const command = sims[0]?.commands[0];
    expect(command?.target).toEqual({ kind: 'group', groupId: 'tinh' });
    expect(command?.body).toMatchObject({ type: 'play', priority: 'emergency', repeat: 3, volume: 100 });
    expect((command?.expiresAt ?? 0) - (command?.issuedAt ?? 0)).toBe(10 * 60_000);
    expect(command?.issuer).toBe('chu-tich');
    expect(sims.every((s) => s.commands.length === 1 && s.refused.length === 0)).toBe(true);
    expect(
      stack.audit.some((e) => e.action === 'broadcast.send' && e.target === b.id && e.actor === 'chu-tich'),
    ).toBe(true);

    // Ack rows reach the table in batches.
    stack.broadcasting.tracker.flush();
    const rows = stack.ctx.db
      .prepare('SELECT count(*) AS n FROM broadcast_deliveries WHERE broadcast_id = ?')
      .get(b.id) as { n: number };
    expect(rows.n).toBe((CLUSTERS - 2) * 3);
    expect(allAnsweredMs).toBeLessThan(10_000);
  }, 30_000);

  it('has every cluster of the commune acknowledged quickly after the API call (p99 over rounds)', async () => {
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      const res = await stack.call('admin', 'POST', '/broadcasts/emergency', {
        targets: [{ kind: 'area', areaId: 'xa-a' }],
        playlist: [warning.id],
      });
      const { id } = (await res.json()) as { id: string };
      expect(res.status).toBe(201);
      const tracker = stack.broadcasting.tracker;
      await new Promise<void>((resolve) => {
        const check = () => {
          if (tracker.delivered(id)) {
            unwatch();
            resolve();
          }
        };
        const unwatch = tracker.watch(id, check);
        check();
      });
      rounds.push(performance.now() - started);
    }
    const worst = Math.max(...rounds);
    console.log(JSON.stringify({ test: 'emergency-190-clusters', rounds_ms: rounds.map(Math.round) }));
    // The 250 ms target is measured by tests/bench/console-broadcast (clusters in another process); here
    // the 190 simulated gateways share the console's event loop on a busy 2-core machine.
    expect(worst).toBeLessThan(5000);
  }, 30_000);
});
