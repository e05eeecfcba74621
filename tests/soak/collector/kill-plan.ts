import type { ServerHandle } from '../../harness/index.js';
import { rng } from '../../harness/random.js';

export type Component = 'influxdb' | 'broker' | 'collector';

export interface PlannedKill {
  component: Component;
  /** Seconds after the fleet started producing. */
  atS: number;
  downS: number;
}

export interface KillRecord extends PlannedKill {
  killedAtS: number;
  upAgainAtS: number;
  restartS: number;
}

/**
 * Every component is killed at least once, about every 150 s on long runs: the window from 10 % to
 * 80 % of the run is cut into equal slots and each kill falls at a random moment of its slot, so kills
 * of different components overlap or not by chance. Down 1–6 s each time.
 */
export function planKills(seconds: number, seed: number): PlannedKill[] {
  const random = rng(seed);
  const perComponent = Math.max(1, Math.round(seconds / 150));
  const plan: PlannedKill[] = [];
  for (const component of ['influxdb', 'broker', 'collector'] as const) {
    const from = seconds * 0.1;
    const slot = (seconds * 0.7) / perComponent;
    for (let k = 0; k < perComponent; k++)
      plan.push({ component, atS: from + slot * (k + random()), downS: 1 + random() * 5 });
  }
  return plan.sort((a, b) => a.atS - b.atS);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Runs one component's kills in order (SIGKILL, wait, restart); components run side by side. */
export async function runKills(
  plan: readonly PlannedKill[],
  servers: Record<Component, ServerHandle>,
  startedAt: number,
  onKill: (k: KillRecord) => void,
): Promise<void> {
  const since = (): number => (Date.now() - startedAt) / 1000;
  const byComponent = (c: Component) => plan.filter((k) => k.component === c);
  await Promise.all(
    (['influxdb', 'broker', 'collector'] as const).map(async (component) => {
      for (const k of byComponent(component)) {
        await sleep(k.atS * 1000 - (Date.now() - startedAt));
        const killedAtS = since();
        await servers[component].kill();
        await sleep(k.downS * 1000);
        const r0 = Date.now();
        await servers[component].restart();
        onKill({ ...k, killedAtS, upAgainAtS: since(), restartS: (Date.now() - r0) / 1000 });
      }
    }),
  );
}
