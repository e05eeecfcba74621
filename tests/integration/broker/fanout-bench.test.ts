import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const FanoutLine = z.object({
  bench: z.literal('fanout'),
  broker: z.literal('ours'),
  client: z.literal('raw'),
  delivery: z.literal('direct'),
  clients: z.literal(50),
  rounds: z.literal(3),
  p50_ms: z.number().positive(),
  p99_ms: z.number().positive(),
  max_ms: z.number().positive(),
  rss_mb_broker: z.number().positive(),
  bytes_per_conn: z.number(),
  broker_cpu_ms_per_round: z.number().nonnegative(),
  subscribers_cpu_ms_per_round: z.number().nonnegative(),
});

describe('fan-out benchmark (smoke run)', () => {
  it('prints one well-formed JSON line with finite percentiles', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'tests/bench/cli.ts', 'fanout', '--clients', '50', '--rounds', '3'],
        { cwd: ROOT, timeout: 90_000 },
        (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)),
      );
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = FanoutLine.parse(JSON.parse(lines[0] ?? ''));
    expect(Number.isFinite(result.p99_ms)).toBe(true);
    expect(result.p99_ms).toBeGreaterThanOrEqual(result.p50_ms);
  }, 120_000);
});
