import { MESSAGES, type MessageKind, decodeMessage, topicOf, topics } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { messageExamples } from '../../../device-profiles/src/docs/examples.js';

const examples = messageExamples();
const KINDS = Object.keys(MESSAGES) as MessageKind[];

function withField(payload: object, patch: Record<string, unknown>): string {
  return JSON.stringify({ ...payload, ...patch });
}

describe('decodeMessage', () => {
  it.each(KINDS)('accepts the documented example of %s on its own topic', (kind) => {
    const { id, payload } = examples[kind];
    const decoded = decodeMessage(topicOf(kind, id), Buffer.from(JSON.stringify(payload)));
    expect(decoded.ok, decoded.ok ? '' : decoded.error).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.kind).toBe(kind);
    expect(decoded.raw).toEqual(payload);
  });

  it('fills schema defaults in message but keeps raw as received (what a signature covers)', () => {
    const { id, payload } = examples.cmd;
    const cmd = payload as { body: Record<string, unknown> };
    const { repeat: _repeat, ...bodyWithoutRepeat } = cmd.body;
    const decoded = decodeMessage(topics.command(id), withField(payload, { body: bodyWithoutRepeat }));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || decoded.kind !== 'cmd') throw new Error('expected a command');
    expect((decoded.message as { body: { repeat?: number } }).body.repeat).toBe(1);
    expect((decoded.raw as { body: { repeat?: number } }).body.repeat).toBeUndefined();
  });

  it('routes the group fan-out topic to the command schema', () => {
    const decoded = decodeMessage(
      topics.groupCommand('xa-tan-hiep'),
      JSON.stringify(examples.groupCmd.payload),
    );
    expect(decoded).toMatchObject({
      ok: true,
      kind: 'groupCmd',
      topic: { scope: 'group', groupId: 'xa-tan-hiep' },
    });
  });

  it('reports malformed JSON without throwing', () => {
    const decoded = decodeMessage(topics.telemetry('aqs-01'), '{"v":1,');
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(/^payload is not JSON: /);
  });

  it('reports an empty payload (a cleared retained message) as not JSON', () => {
    const decoded = decodeMessage(topics.status('aqs-01'), Buffer.alloc(0));
    expect(decoded).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
  });

  it('names the kind, the field path and why when the schema is wrong', () => {
    const { id, payload } = examples.telemetry;
    const decoded = decodeMessage(topics.telemetry(id), withField(payload, { seq: -1, readings: [] }));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error).toMatch(/^invalid telemetry payload: /);
    expect(decoded.error).toMatch(/seq: .*>=0/);
    expect(decoded.error).toMatch(/readings: .*>=1/);
  });

  it('names a nested field path', () => {
    const { id, payload } = examples.telemetry;
    const batch = payload as { readings: Array<Record<string, unknown>> };
    const readings = [batch.readings[0], { ...batch.readings[1], unit: 'furlong' }];
    const decoded = decodeMessage(topics.telemetry(id), withField(payload, { readings }));
    expect(decoded).toEqual({ ok: false, error: expect.stringMatching(/readings\.1\.unit: /) });
  });

  it('refuses a payload whose deviceId is not the device in the topic', () => {
    const decoded = decodeMessage(topics.telemetry('aqs-other'), JSON.stringify(examples.telemetry.payload));
    expect(decoded).toEqual({
      ok: false,
      error: 'payload deviceId aqs-thanhhoa-01 does not match topic device aqs-other',
    });
  });

  it('refuses an alarm whose stationId is not the station in the topic', () => {
    const decoded = decodeMessage(topics.alarm('aqs-other'), JSON.stringify(examples.alarm.payload));
    expect(decoded).toEqual({
      ok: false,
      error: expect.stringMatching(/stationId aqs-thanhhoa-01 .* aqs-other/),
    });
  });

  it('refuses a payload sent on the wrong kind of topic', () => {
    const decoded = decodeMessage(
      topics.status('aqs-thanhhoa-01'),
      JSON.stringify(examples.telemetry.payload),
    );
    expect(decoded).toEqual({ ok: false, error: expect.stringMatching(/^invalid status payload: /) });
  });

  it.each([
    ['a foreign root', ['other', 'v1', 'dev', 'a', 'status'].join('/')],
    ['an unknown kind', ['xs', 'v1', 'dev', 'a', 'firmware'].join('/')],
    ['a wildcard', ['xs', 'v1', 'dev', '+', 'status'].join('/')],
    ['an empty topic', ''],
  ])('refuses a topic outside the contract: %s', (_what, topic) => {
    const decoded = decodeMessage(topic, JSON.stringify(examples.status.payload));
    expect(decoded).toEqual({
      ok: false,
      error: `topic ${JSON.stringify(topic)} is not part of the contract`,
    });
  });

  it('never throws on hostile payloads', () => {
    const hostile = ['null', '[]', '"text"', '42', '{"__proto__":{"x":1}}', '\u0000', 'ÿþ', '{"v":1e999}'];
    for (const payload of hostile) {
      for (const kind of KINDS) {
        const decoded = decodeMessage(topicOf(kind, 'dev-1'), payload);
        expect(decoded.ok).toBe(false);
        if (!decoded.ok) expect(decoded.error.length).toBeGreaterThan(10);
      }
    }
  });
});
