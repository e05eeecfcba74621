import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import { SpeakerStore, judgeCommand, judgeSchedule } from '@xaso/gateway-firmware-ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';

const keys = generateSigningKeys();
const forger = generateSigningKeys();
const now = Date.now();
const item = { audioId: 'a'.repeat(64), path: '/audio/a', durationMs: 1000 };

function command(overrides: Record<string, unknown> = {}, key = keys.privateKeyPem) {
  return signMessage(
    {
      v: 1,
      id: randomUUID(),
      issuedAt: now - 1000,
      expiresAt: now + 60_000,
      issuer: 'officer@xa-1',
      target: { kind: 'device', deviceId: 'spk-1' },
      body: { type: 'play', broadcastId: 'b-1', priority: 'normal', playlist: [item] },
      ...overrides,
    },
    key,
  );
}

function schedule(version: number, overrides: Record<string, unknown> = {}, key = keys.privateKeyPem) {
  return signMessage(
    {
      v: 1,
      id: randomUUID(),
      issuedAt: now - 1000,
      expiresAt: now + 60_000,
      issuer: 'officer@xa-1',
      deviceId: 'spk-1',
      version,
      timezone: 'Asia/Ho_Chi_Minh',
      entries: [
        {
          id: 'morning',
          broadcastId: 'b-morning',
          title: 'Bản tin sáng',
          cron: '0 30 6 * * *',
          validFrom: now - 86_400_000,
          playlist: [item],
          volume: 60,
          priority: 'normal',
        },
      ],
      ...overrides,
    },
    key,
  );
}

const bytes = (m: unknown) => Buffer.from(typeof m === 'string' ? m : JSON.stringify(m));

describe('verification of console commands and schedules', () => {
  let store: SpeakerStore;
  let file: string;
  const check = () => ({
    deviceId: 'spk-1',
    groups: new Set(['xa-1']),
    signingKeyPem: keys.publicKeyPem,
    now,
    claimId: (id: string, expiresAt: number) => store.claimId(id, expiresAt),
  });

  beforeEach(async () => {
    file = join(await tempDir('xs-spk-judge-'), 'speaker.sqlite');
    store = new SpeakerStore(file);
  });
  afterEach(() => store.close());

  it('accepts a signed command for this device or one of its groups', () => {
    expect(judgeCommand(bytes(command()), check()).kind).toBe('accept');
    const group = command({ target: { kind: 'group', groupId: 'xa-1' } });
    expect(judgeCommand(bytes(group), check()).kind).toBe('accept');
  });

  it('refuses forged, tampered, unsigned, expired, wrong-device and malformed commands with a reason', () => {
    const cases: Array<[string, unknown, string]> = [
      ['forged', command({}, forger.privateKeyPem), 'bad-signature'],
      ['tampered', { ...command(), body: { type: 'reboot' } }, 'bad-signature'],
      ['empty signature', { ...command(), sig: '' }, 'unsigned'],
      ['no signature', { ...command(), sig: undefined }, 'unsigned'],
      ['signature not base64', { ...command(), sig: '!!' }, 'malformed'],
      ['expired', command({ expiresAt: now - 1 }), 'expired'],
      ['other device', command({ target: { kind: 'device', deviceId: 'spk-2' } }), 'wrong-device'],
      ['other group', command({ target: { kind: 'group', groupId: 'xa-2' } }), 'wrong-device'],
      ['not JSON', '{"v":1,', 'malformed'],
      ['bad body', command({ body: { type: 'play', priority: 'loud' } }), 'malformed'],
    ];
    for (const [what, message, reason] of cases) {
      const verdict = judgeCommand(bytes(message), check());
      expect(verdict, what).toMatchObject({ kind: 'refuse', reason });
    }
    // A refused message does not use up its id: only verified ones are remembered.
    expect(store.seenIdCount).toBe(0);
  });

  it('refuses with unsigned when the gateway has no key from enrollment', () => {
    expect(judgeCommand(bytes(command()), { ...check(), signingKeyPem: undefined })).toMatchObject({
      kind: 'refuse',
      reason: 'unsigned',
    });
  });

  it('refuses a replayed command, also after the store is reopened (a reboot)', () => {
    const message = command();
    expect(judgeCommand(bytes(message), check()).kind).toBe('accept');
    expect(judgeCommand(bytes(message), check())).toMatchObject({ kind: 'refuse', reason: 'replayed' });
    store.close();
    store = new SpeakerStore(file);
    expect(judgeCommand(bytes(message), check())).toMatchObject({
      kind: 'refuse',
      reason: 'replayed',
      id: message.id,
    });
  });

  it('prunes seen ids only once they have expired', () => {
    store.claimId(randomUUID(), now + 1000);
    store.claimId(randomUUID(), now - 1000);
    store.prune(now);
    expect(store.seenIdCount).toBe(1);
  });

  it('schedules: accepts newer, ignores the same version, refuses older, forged, expired and foreign ones', () => {
    const sc = (currentVersion: number | undefined) => ({ ...check(), currentVersion });
    expect(judgeSchedule(bytes(schedule(4)), sc(3)).kind).toBe('accept');
    expect(judgeSchedule(bytes(schedule(4)), sc(4))).toEqual({ kind: 'same', version: 4 });
    expect(judgeSchedule(bytes(schedule(2)), sc(3))).toMatchObject({
      kind: 'refuse',
      reason: 'stale-version',
      version: 2,
    });
    expect(judgeSchedule(bytes(schedule(5, {}, forger.privateKeyPem)), sc(3))).toMatchObject({
      reason: 'bad-signature',
    });
    expect(judgeSchedule(bytes(schedule(5, { expiresAt: now - 1 })), sc(3))).toMatchObject({
      reason: 'expired',
    });
    expect(judgeSchedule(bytes(schedule(5, { deviceId: 'spk-9' })), sc(3))).toMatchObject({
      reason: 'wrong-device',
    });
    const badCron = schedule(6, {
      entries: [{ ...schedule(1).entries[0], cron: '61 * * * *' }],
    });
    expect(judgeSchedule(bytes(badCron), sc(3))).toMatchObject({ reason: 'malformed', version: 6 });
    // A cleared retained topic is no message at all.
    expect(judgeSchedule(Buffer.alloc(0), sc(3))).toEqual({ kind: 'ignore' });
  });

  it('refuses a schedule whose id was already used by another version (replay)', () => {
    const first = schedule(7);
    expect(judgeSchedule(bytes(first), { ...check(), currentVersion: 6 }).kind).toBe('accept');
    const again = signMessage({ ...schedule(8), id: first.id }, keys.privateKeyPem);
    expect(judgeSchedule(bytes(again), { ...check(), currentVersion: 7 })).toMatchObject({
      reason: 'replayed',
    });
  });
});
