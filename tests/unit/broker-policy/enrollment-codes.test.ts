import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enrollmentCodeMatches,
  hashEnrollmentCode,
  newEnrollmentCode,
  normalizeEnrollmentCode,
} from '../../../broker/src/registry/enrollment-code.js';
import { EnrollmentError } from '../../../broker/src/registry/errors.js';
import type { EnrollmentFailure } from '../../../broker/src/registry/errors.js';
import { DEFAULT_ENROLLMENT_TTL_MS, Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from './scratch.js';

const scratch = scratchDir('codes');
const clock = { t: 1_790_000_000_000 };
let registry: Registry;

beforeAll(() => {
  registry = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger, now: () => clock.t });
  for (const id of ['loa-01', 'loa-02', 'loa-03', 'loa-04', 'loa-05', 'loa-06'])
    registry.createDevice({ id, role: 'speaker-cluster' });
});
afterAll(() => {
  registry.close();
  scratch.remove();
});

function refusal(fn: () => unknown): EnrollmentFailure | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof EnrollmentError) return err.reason;
    throw err;
  }
}

describe('enrollment codes', () => {
  it('look like XXXX-XXXX-XXXX from an alphabet without I, O, 0, 1', () => {
    const codes = Array.from({ length: 200 }, newEnrollmentCode);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(normalizeEnrollmentCode(' abcd-efgh jkmn ')).toBe('ABCDEFGHJKMN');
    const stored = hashEnrollmentCode('ABCD-EFGH-JKMN');
    expect(enrollmentCodeMatches('abcd efgh jkmn', stored)).toBe(true);
    expect(enrollmentCodeMatches('ABCD-EFGH-JKMP', stored)).toBe(false);
    expect(enrollmentCodeMatches('ABCD-EFGH-JKMN', stored.replace('sha256', 'md5'))).toBe(false);
    expect(enrollmentCodeMatches('ABCD-EFGH-JKMN', 'sha256$$')).toBe(false);
  });

  it('expire after 24 h by default and are stored only as hashes', () => {
    const { code, expiresAt } = registry.issueEnrollmentCode('loa-01');
    expect(expiresAt).toBe(clock.t + DEFAULT_ENROLLMENT_TTL_MS);
    const stored = registry.db.prepare('SELECT code_hash FROM enrollment_codes').all() as {
      code_hash: string;
    }[];
    for (const row of stored) {
      expect(row.code_hash).toMatch(/^sha256\$/);
      expect(row.code_hash).not.toContain(normalizeEnrollmentCode(code));
    }
  });

  it('work once: the first redemption gives a password that verifies, the second is refused', async () => {
    const { code } = registry.issueEnrollmentCode('loa-02');
    const { password } = registry.redeemEnrollmentCode('loa-02', code.toLowerCase().replaceAll('-', ' '));
    expect((await registry.verify('loa-02', password))?.id).toBe('loa-02');
    expect(registry.getDevice('loa-02')?.enrolledAt).toBe(clock.t);
    expect(refusal(() => registry.redeemEnrollmentCode('loa-02', code))).toBe('already-used');
    expect(await registry.verify('loa-02', password)).not.toBeNull();
  });

  it('redeeming again with a new code rotates the earlier password away', async () => {
    const { password: first } = registry.redeemEnrollmentCode(
      'loa-03',
      registry.issueEnrollmentCode('loa-03').code,
    );
    const { password: second } = registry.redeemEnrollmentCode(
      'loa-03',
      registry.issueEnrollmentCode('loa-03').code,
    );
    expect(await registry.verify('loa-03', first)).toBeNull();
    expect(await registry.verify('loa-03', second)).not.toBeNull();
  });

  it('are refused once expired (by the injected clock)', () => {
    const { code } = registry.issueEnrollmentCode('loa-04', 60_000);
    clock.t += 60_000;
    expect(refusal(() => registry.redeemEnrollmentCode('loa-04', code))).toBe('expired');
  });

  it('a newer code replaces an unused older one', () => {
    const older = registry.issueEnrollmentCode('loa-05').code;
    const newer = registry.issueEnrollmentCode('loa-05').code;
    expect(refusal(() => registry.redeemEnrollmentCode('loa-05', older))).toBe('wrong-code');
    expect(refusal(() => registry.redeemEnrollmentCode('loa-05', newer))).toBe('no error');
  });

  it('give a precise reason for wrong codes, unknown devices, missing codes and disabled devices', () => {
    const { code } = registry.issueEnrollmentCode('loa-06');
    expect(refusal(() => registry.redeemEnrollmentCode('loa-06', 'AAAA-BBBB-CCCC'))).toBe('wrong-code');
    expect(refusal(() => registry.redeemEnrollmentCode('ghost', code))).toBe('unknown-device');
    expect(refusal(() => registry.redeemEnrollmentCode('loa-01', 'AAAA-BBBB-CCCC'))).toBe('wrong-code');
    registry.createDevice({ id: 'loa-07', role: 'speaker-cluster' });
    expect(refusal(() => registry.redeemEnrollmentCode('loa-07', code))).toBe('no-code');
    registry.setDisabled('loa-06', true);
    expect(refusal(() => registry.redeemEnrollmentCode('loa-06', code))).toBe('device-disabled');
    registry.setDisabled('loa-06', false);
    expect(refusal(() => registry.redeemEnrollmentCode('loa-06', code))).toBe('no error');
  });
});
