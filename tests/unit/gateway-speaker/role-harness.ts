import { randomUUID } from 'node:crypto';
import type { Ack, DeviceEventBody, Reading } from '@xaso/device-profiles/contract';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import {
  ClockPlayer,
  PollingSettingsSchema,
  type RoleContext,
  SpeakerRole,
  SpeakerTimingSchema,
} from '@xaso/gateway-firmware-ts';
import pino from 'pino';
import type { z } from 'zod';
import { tempDir } from '../../harness/index.js';
import { DiskAudio, RecordingBoard } from './parts.js';

export const consoleKeys = generateSigningKeys();

type Handler = (topic: string, payload: Buffer) => void;

/** A RoleContext that records what the role emits and acks, and delivers messages to its subscriptions. */
export class RecordingContext implements RoleContext {
  readonly log = pino({ level: process.env.GW_LOG ?? 'silent' });
  readonly polling = PollingSettingsSchema.parse({});
  readonly signingKeyPem = consoleKeys.publicKeyPem;
  readonly events: Array<{ at: number; event: DeviceEventBody }> = [];
  readonly acks: Array<{ at: number; ref: Ack['ref']; status: Ack['status']; reason?: string }> = [];
  readonly handlers = new Map<string, Handler>();
  readonly restarts: string[] = [];
  restartable = false;

  constructor(
    readonly deviceId: string,
    readonly dataDir: string,
  ) {}

  emit(event: DeviceEventBody): void {
    this.events.push({ at: Date.now(), event });
  }
  publishReadings(_readings: Reading[]): void {
    throw new Error('the speaker role publishes no readings');
  }
  ack(ref: Ack['ref'], status: Ack['status'], reason?: string): void {
    this.acks.push({ at: Date.now(), ref, status, reason });
  }
  subscribe(topic: string, handler: Handler): void {
    this.handlers.set(topic, handler);
  }
  unsubscribe(topic: string): void {
    this.handlers.delete(topic);
  }
  requestRestart(reason: string): boolean {
    this.restarts.push(reason);
    return this.restartable;
  }

  deliver(topic: string, message: unknown): void {
    const handler = this.handlers.get(topic);
    if (!handler) throw new Error(`role is not subscribed to ${topic}`);
    handler(topic, Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)));
  }

  playback(phase?: string) {
    return this.events
      .map((e) => ({ ...e.event, at: e.at }))
      .filter(
        (e): e is Extract<DeviceEventBody, { kind: 'playback' }> & { at: number } =>
          e.kind === 'playback' && (phase === undefined || e.phase === phase),
      );
  }

  acksOf(commandId: string): string[] {
    return this.acks
      .filter((a) => a.ref.kind === 'command' && a.ref.commandId === commandId)
      .map((a) => a.status);
  }

  async until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; events ${JSON.stringify(this.events).slice(0, 1500)}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export interface RoleRig {
  role: SpeakerRole;
  context: RecordingContext;
  player: ClockPlayer;
  audio: DiskAudio;
  board: RecordingBoard;
}

/** A SpeakerRole over a clock player, audio files in a temp dir and a recording controller board. */
export async function roleRig(
  timing: z.input<typeof SpeakerTimingSchema> = {},
  options: { dataDir?: string; groups?: string[]; audio?: DiskAudio } = {},
): Promise<RoleRig> {
  const dataDir = options.dataDir ?? (await tempDir('xs-spk-role-'));
  const context = new RecordingContext('spk-1', dataDir);
  const player = new ClockPlayer();
  const audio = options.audio ?? new DiskAudio(await tempDir('xs-spk-audio-'));
  const board = new RecordingBoard();
  const role = new SpeakerRole(
    context,
    { groups: options.groups ?? ['xa-1'] },
    { player, audio, amplifier: board },
    SpeakerTimingSchema.parse({ amplifierWarmupMs: 0, amplifierIdleOffMs: 60_000, graceMs: 1000, ...timing }),
  );
  await role.start();
  return { role, context, player, audio, board };
}

/** A console-signed command to spk-1 (or a group). */
export function signedCommand(body: unknown, overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return signMessage(
    {
      v: 1,
      id: randomUUID(),
      issuedAt: now,
      expiresAt: now + 60_000,
      issuer: 'officer@xa-1',
      target: { kind: 'device', deviceId: 'spk-1' },
      body,
      ...overrides,
    },
    consoleKeys.privateKeyPem,
  );
}

export function signedSchedule(version: number, entries: unknown[], overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return signMessage(
    {
      v: 1,
      id: randomUUID(),
      issuedAt: now,
      expiresAt: now + 60_000,
      issuer: 'officer@xa-1',
      deviceId: 'spk-1',
      version,
      timezone: 'Asia/Ho_Chi_Minh',
      entries,
      ...overrides,
    },
    consoleKeys.privateKeyPem,
  );
}
