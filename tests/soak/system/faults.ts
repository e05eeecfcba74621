import type { ServerHandle } from '../../harness/index.js';
import { rng } from '../../harness/random.js';

export { rng };

export type Component = 'broker' | 'collector' | 'console';
export const COMPONENTS: readonly Component[] = ['broker', 'collector', 'console'];

export interface Fault {
  what: string;
  atS: number;
  durationS: number;
}

export interface FaultRecord extends Fault {
  startedAtS: number;
  /** For kills: how long the restart took until the process answered its health check. */
  restartS?: number;
}

/**
 * Each server process is SIGKILLed about every 150 s (at least once), at a random moment of its slot in
 * the window from 10 % to 75 % of the run, down 1–5 s; uplink cuts of random gateways every few seconds.
 */
export function planFaults(
  seconds: number,
  random: () => number,
  gateways: readonly string[],
): { kills: (Fault & { component: Component })[]; cuts: (Fault & { gateway: string })[] } {
  const per = Math.max(1, Math.round(seconds / 150));
  const kills: (Fault & { component: Component })[] = [];
  for (const component of COMPONENTS) {
    const slot = (seconds * 0.65) / per;
    for (let k = 0; k < per; k++)
      kills.push({
        component,
        what: `SIGKILL ${component}`,
        atS: seconds * 0.1 + slot * (k + random()),
        durationS: 1 + random() * 4,
      });
  }
  const cuts: (Fault & { gateway: string })[] = [];
  for (let at = seconds * 0.05; at < seconds * 0.8; at += 2 + random() * 4) {
    const gateway = gateways[Math.floor(random() * gateways.length)];
    if (gateway) cuts.push({ gateway, what: `cut ${gateway}`, atS: at, durationS: 2 + random() * 8 });
  }
  return { kills: kills.sort((a, b) => a.atS - b.atS), cuts };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Runs each component's kills in order (SIGKILL, wait, restart); components side by side. */
export async function runKills(
  plan: readonly (Fault & { component: Component })[],
  servers: Record<Component, ServerHandle>,
  startedAt: number,
  onDone: (r: FaultRecord) => void,
): Promise<void> {
  const since = (): number => (Date.now() - startedAt) / 1000;
  await Promise.all(
    COMPONENTS.map(async (component) => {
      for (const k of plan.filter((p) => p.component === component)) {
        await sleep(k.atS * 1000 - (Date.now() - startedAt));
        const startedAtS = since();
        await servers[component].kill();
        await sleep(k.durationS * 1000);
        const r0 = Date.now();
        await servers[component].restart();
        onDone({ ...k, startedAtS, restartS: (Date.now() - r0) / 1000 });
      }
    }),
  );
}

/** Cuts each planned uplink at its moment and restores it after its duration. */
export async function runCuts(
  plan: readonly (Fault & { gateway: string })[],
  uplink: { cut(id: string): void; restore(id: string): void },
  startedAt: number,
  onDone: (r: FaultRecord) => void,
): Promise<void> {
  await Promise.all(
    plan.map(async (c) => {
      await sleep(c.atS * 1000 - (Date.now() - startedAt));
      uplink.cut(c.gateway);
      await sleep(c.durationS * 1000);
      uplink.restore(c.gateway);
      onDone({ ...c, startedAtS: c.atS });
    }),
  );
}
