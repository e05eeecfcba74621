/**
 * Cost of the simulated player for fleets: N ClockPlayers each playing one 1 s item at once, against a baseline
 * of N bare setTimeout promises (the least any clock-driven playback can cost). Prints one JSON line per run.
 *   node --expose-gc --import tsx tests/bench/gateway-speaker-io/clock-fleet.ts [--n 10000]
 */
import { parseArgs } from 'node:util';
import { ClockPlayer } from '../../../gateway-firmware-ts/src/speaker/io/index.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '10000' } } });
const n = Number(values.n);
const DURATION_MS = 1_000;

function heap(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function p(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(label: string, start: () => Promise<unknown>): Promise<void> {
  const before = heap();
  const t0 = performance.now();
  const late: number[] = [];
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    // Lateness of each playback's end against its own start + duration (the fleet's timing error).
    const planned = Date.now() + DURATION_MS;
    pending.push(start().then(() => late.push(Date.now() - planned)));
  }
  const startMs = performance.now() - t0;
  const during = heap();
  await Promise.all(pending);
  late.sort((a, b) => a - b);
  const result = {
    bench: 'clock-fleet',
    variant: label,
    n,
    startAllMs: Math.round(startMs),
    heapPerInstanceB: Math.round((during - before) / n),
    lateP50Ms: p(late, 0.5),
    lateP99Ms: p(late, 0.99),
    lateMaxMs: late.at(-1),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await run('baseline-setTimeout', () => new Promise((resolve) => setTimeout(resolve, DURATION_MS)));
const players: ClockPlayer[] = [];
await run('ClockPlayer', () => {
  const player = new ClockPlayer({ maxRecords: 20 });
  players.push(player);
  return player.playFile('/cache/bulletin.mp3', { volume: 70, durationMs: DURATION_MS }).done;
});
