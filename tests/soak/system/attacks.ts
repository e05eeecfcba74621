import { createHash, randomUUID } from 'node:crypto';
import { type Command, topics } from '@xaso/device-profiles/contract';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import mqtt from 'mqtt';
import type { Credentials } from './provision.js';

/** What each attack attempt came to, as the attacker saw it. */
export interface AttackTally {
  malformedAcked: number;
  malformedUnconfirmed: number;
  aclAttempts: number;
  forgedSent: number;
  forgedUnconfirmed: number;
  /** Audio ids only forged commands carry: any playback of one is a forged command executed. */
  forgedAudioIds: Set<string>;
  /** Ids of the forged, unsigned and expired commands: never legitimately executed. */
  forgedCommandIds: Set<string>;
  /** Ids of genuine commands sent a second time: executed once, the replay refused. */
  replayedCommandIds: Set<string>;
  /** Each round of forged commands: when it was sent and the ids a refusal must name. */
  rounds: { at: number; ids: string[] }[];
}

export function newTally(): AttackTally {
  return {
    malformedAcked: 0,
    malformedUnconfirmed: 0,
    aclAttempts: 0,
    forgedSent: 0,
    forgedUnconfirmed: 0,
    forgedAudioIds: new Set(),
    forgedCommandIds: new Set(),
    replayedCommandIds: new Set(),
    rounds: [],
  };
}

/** Resolves with the promise's value, or with 'timeout' after `ms` (a publish whose PUBACK never comes). */
export function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timeout'> {
  return Promise.race([
    promise,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref()),
  ]);
}

/** Connects, retrying for a while: the broker may be in the middle of a SIGKILL and restart. */
async function session(
  url: string,
  clientId: string,
  username: string,
  password: string,
): Promise<mqtt.MqttClient> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const client = await within(
        8000,
        mqtt.connectAsync(url, {
          clientId,
          username,
          password,
          reconnectPeriod: 0,
          connectTimeout: 5000,
          clean: true,
        }),
      );
      if (client === 'timeout') throw new Error('no CONNACK');
      return client;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * A sensor gateway gone bad: malformed payloads on its own telemetry topic (the collector must
 * dead-letter each with a reason, never store it), and publishes to a loudspeaker's command topic and
 * another station's telemetry topic (the broker's ACL must refuse them).
 */
export async function rogueStation(
  url: string,
  rogue: Credentials,
  victims: { cluster: string; station: string },
  tally: AttackTally,
): Promise<void> {
  const payloads = [
    '{"v":1,"deviceId":',
    JSON.stringify({ v: 1, deviceId: rogue.id, seq: 1, ts: Date.now() }),
    JSON.stringify({
      v: 1,
      deviceId: victims.station,
      seq: 1,
      ts: Date.now(),
      readings: [{ source: 'aqms', channel: 'pm25', value: 999, unit: 'µg/m³', ts: Date.now() }],
    }),
  ];
  let client: mqtt.MqttClient | undefined;
  try {
    client = await session(url, rogue.id, rogue.id, rogue.password);
    for (const payload of payloads) {
      const acked = await within(
        10_000,
        client.publishAsync(topics.telemetry(rogue.id), payload, { qos: 1 }),
      );
      if (acked === 'timeout') throw new Error('no PUBACK');
      tally.malformedAcked++;
    }
  } catch {
    tally.malformedUnconfirmed++;
  } finally {
    await within(3000, client?.endAsync(true).catch(() => undefined) ?? Promise.resolve());
  }
  // Each refused publish costs the connection (MQTT 3.1.1 has no negative PUBACK): one session per try.
  for (const topic of [topics.command(victims.cluster), topics.telemetry(victims.station)]) {
    tally.aclAttempts++;
    const c = await session(url, rogue.id, rogue.id, rogue.password).catch(() => undefined);
    if (!c) continue;
    await within(
      3000,
      c.publishAsync(topic, JSON.stringify({ forged: true }), { qos: 1 }).catch(() => undefined),
    );
    await within(
      3000,
      c.endAsync(true).catch(() => undefined),
    );
  }
}

function playCommand(deviceId: string, audioId: string, expiresInMs: number): Omit<Command, 'sig'> {
  const now = Date.now();
  return {
    v: 1,
    id: randomUUID(),
    issuedAt: now - 1000,
    expiresAt: now + expiresInMs,
    issuer: 'attacker',
    target: { kind: 'device', deviceId },
    body: {
      type: 'play',
      broadcastId: `forged-${audioId.slice(0, 8)}`,
      priority: 'emergency',
      playlist: [{ audioId, path: `/media/${audioId}`, durationMs: 2000 }],
      repeat: 1,
    },
  };
}

/**
 * Someone holding the console's MQTT password (stolen from a backup, say) but not its signing key:
 * commands signed with their own key, unsigned, and — had they the key's output but not the key — an
 * expired copy and a replay of a genuine one. The gateway must execute none of them.
 */
export async function forgeCommands(
  url: string,
  consoleMqttPassword: string,
  consoleKeyPem: string,
  target: string,
  tally: AttackTally,
): Promise<void> {
  const attacker = generateSigningKeys();
  const audio = (n: string) => createHash('sha256').update(`forged ${n} ${randomUUID()}`).digest('hex');
  const badSig = signMessage(playCommand(target, audio('bad-signature'), 60_000), attacker.privateKeyPem);
  const unsigned = { ...playCommand(target, audio('unsigned'), 60_000), sig: 'AAAA' };
  const expired = signMessage(playCommand(target, audio('expired'), -500), consoleKeyPem);
  // A genuine ping, sent once as the console would and then again as a replay.
  const now = Date.now();
  const ping = signMessage(
    {
      v: 1 as const,
      id: randomUUID(),
      issuedAt: now,
      expiresAt: now + 120_000,
      issuer: 'soak',
      target: { kind: 'device' as const, deviceId: target },
      body: { type: 'ping' as const },
    },
    consoleKeyPem,
  );
  for (const c of [badSig, unsigned, expired]) {
    tally.forgedAudioIds.add(c.body.type === 'play' ? (c.body.playlist[0]?.audioId ?? '') : '');
    tally.forgedCommandIds.add(c.id);
  }
  tally.replayedCommandIds.add(ping.id);
  let client: mqtt.MqttClient | undefined;
  try {
    const attacker = await session(url, `console-attacker-${process.pid}`, '_console', consoleMqttPassword);
    client = attacker;
    const send = async (message: object) => {
      const acked = await within(
        10_000,
        attacker.publishAsync(topics.command(target), JSON.stringify(message), { qos: 1 }),
      );
      if (acked === 'timeout') throw new Error('no PUBACK');
      tally.forgedSent++;
    };
    const at = Date.now();
    for (const message of [badSig, unsigned, expired, ping]) await send(message);
    await new Promise((r) => setTimeout(r, 1500));
    await send(ping);
    tally.rounds.push({ at, ids: [badSig.id, unsigned.id, expired.id, ping.id] });
  } catch {
    tally.forgedUnconfirmed++;
  } finally {
    await within(3000, client?.endAsync(true).catch(() => undefined) ?? Promise.resolve());
  }
}
