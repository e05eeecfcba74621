import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from '../../unit/broker-policy/scratch.js';
import { runTs } from './child.js';

const scratch = scratchDir('race');
afterAll(() => scratch.remove());

describe('enrollment code redemption across processes', () => {
  it('lets exactly one of four processes racing on the same code win', async () => {
    const dbPath = scratch.file('registry.sqlite');
    const registry = Registry.open(dbPath, { logger: quietLogger });
    registry.createDevice({ id: 'loa-01', role: 'speaker-cluster' });
    const { code } = registry.issueEnrollmentCode('loa-01');
    const startAt = String(Date.now() + 4000);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        runTs('tests/integration/broker-policy/fixtures/redeem-once.ts', [dbPath, 'loa-01', code, startAt]),
      ),
    );
    for (const r of runs) expect(r.stderr).toBe('');
    const outcomes = runs.map((r) => JSON.parse(r.stdout) as { won: boolean; reason?: string });
    expect(outcomes.filter((o) => o.won)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.won).map((o) => o.reason)).toEqual([
      'already-used',
      'already-used',
      'already-used',
    ]);
    expect(registry.getDevice('loa-01')?.enrolledAt).not.toBeNull();
    expect(registry.changesSince(0).changes).toEqual([{ deviceId: 'loa-01', kind: 'rotated' }]);
    registry.close();
  });
});
