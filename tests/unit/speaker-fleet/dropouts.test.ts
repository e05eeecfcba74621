import { type Server, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedUplink } from '../../../scripts/fleet/speaker-uplink.js';
import { UplinkDropouts } from '../../../scripts/fleet/uplink-dropouts.js';
import { rng } from '../../harness/random.js';

let echo: Server;
const uplinks: SimulatedUplink[] = [];

afterEach(async () => {
  await Promise.all(uplinks.splice(0).map((u) => u.close()));
  await new Promise((resolve) => echo.close(resolve));
});

async function openUplinks(n: number): Promise<{ id: string; uplink: SimulatedUplink }[]> {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const out: { id: string; uplink: SimulatedUplink }[] = [];
  for (let i = 0; i < n; i++) {
    const uplink = await SimulatedUplink.open({ host: '127.0.0.1', port }, { latencyMs: 0, jitterMs: 0 });
    uplinks.push(uplink);
    out.push({ id: `loa-${i}`, uplink });
  }
  return out;
}

describe('UplinkDropouts', () => {
  it('drops random uplinks for short spells, never a held one, and every spell ends', async () => {
    const targets = await openUplinks(6);
    const held = new Set(['loa-0']);
    targets[0]?.uplink.cut();
    const dropouts = new UplinkDropouts(
      () => targets,
      (id) => held.has(id),
      { meanEveryS: 0.5, meanLengthS: 0.15, tickMs: 50 },
      rng(42),
    );
    const seenDown = new Set<string>();
    dropouts.start();
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      for (const t of targets) if (!t.uplink.isUp && !held.has(t.id)) seenDown.add(t.id);
      await new Promise((r) => setTimeout(r, 10));
    }
    dropouts.stopNew();
    // About 1.5 s / 0.5 s = 3 spells per free uplink: most of the five must have dropped at least once.
    expect(dropouts.started).toBeGreaterThanOrEqual(5);
    expect(seenDown.size).toBeGreaterThanOrEqual(3);
    const settle = Date.now() + 3000;
    while (dropouts.down > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 20));
    expect(dropouts.down).toBe(0);
    expect(targets.slice(1).every((t) => t.uplink.isUp)).toBe(true);
    // The held uplink stayed cut throughout: outages neither cut nor restored it.
    expect(targets[0]?.uplink.isUp).toBe(false);
    dropouts.stop();
  });

  it('with a chance of zero per tick (a very long mean) leaves every uplink up', async () => {
    const targets = await openUplinks(3);
    const dropouts = new UplinkDropouts(
      () => targets,
      () => false,
      { meanEveryS: 1e9, meanLengthS: 1, tickMs: 20 },
    );
    dropouts.start();
    await new Promise((r) => setTimeout(r, 300));
    dropouts.stop();
    expect(dropouts.started).toBe(0);
    expect(targets.every((t) => t.uplink.isUp)).toBe(true);
  });
});
