import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { MessageKind } from '../contract/messages.js';
import { signMessage } from '../signing/index.js';

/**
 * The RFC 8032 test-vector key (section 7.1, TEST 1): public knowledge, so the examples carry real,
 * checkable signatures without any deployable secret. Ed25519 is deterministic, so the docs are too.
 */
const RFC8032_TEST1_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PKCS8_ED25519_PREFIX = '302e020100300506032b657004220420';

export const EXAMPLE_PRIVATE_KEY = createPrivateKey({
  key: Buffer.from(PKCS8_ED25519_PREFIX + RFC8032_TEST1_SEED, 'hex'),
  format: 'der',
  type: 'pkcs8',
});
export const EXAMPLE_PUBLIC_KEY_PEM = createPublicKey(EXAMPLE_PRIVATE_KEY)
  .export({ type: 'spki', format: 'pem' })
  .toString();

export interface MessageExample {
  /** Device, group or station id the example topic is built for. */
  id: string;
  payload: object;
}

const T0 = 1_767_249_000_000; // 2026-01-01T06:30:00Z
const SPEAKER = 'spk-tanhiep-03';
const STATION = 'aqs-thanhhoa-01';
const AUDIO_ID = '5d41402abc4b2a76b9719d911017c592ae4e5e1d8a9a5e8f4c1b2a3d4e5f6071';
const ANNOUNCEMENT = {
  audioId: AUDIO_ID,
  path: '/audio/5d41402abc4b2a76b9719d911017c592ae4e5e1d8a9a5e8f4c1b2a3d4e5f6071.mp3',
  durationMs: 95_000,
  title: 'Thông báo phòng chống bão số 3',
};
const signed = { issuedAt: T0, expiresAt: T0 + 3_600_000, issuer: 'operator:nguyen.van.a' };

/** One example payload per message kind; the generator refuses to write docs if one fails its schema. */
export function messageExamples(): Record<MessageKind, MessageExample> {
  return {
    status: {
      id: SPEAKER,
      payload: {
        v: 1,
        deviceId: SPEAKER,
        state: 'online',
        ts: T0,
        reason: 'periodic',
        role: 'speaker-cluster',
        firmware: '0.1.0',
        uptimeS: 86_400,
        queueDepth: 0,
        freeDiskBytes: 1_200_000_000,
        sources: { controller: { state: 'ok', pollSuccessRate: 1 } },
        ports: { '/dev/ttyUSB0': 'open' },
        speaker: {
          playing: null,
          volume: 70,
          amplifier: 'off',
          scheduleVersion: 12,
          mainsV: 229.5,
          doorOpen: false,
        },
      },
    },
    telemetry: {
      id: STATION,
      payload: {
        v: 1,
        deviceId: STATION,
        seq: 1042,
        ts: T0,
        readings: [
          { source: 'aqms', channel: 'pm25', value: 38.2, unit: 'µg/m³', ts: T0 - 500, quality: 'good' },
          {
            source: 'aqms',
            channel: 'pm10',
            value: null,
            unit: 'µg/m³',
            ts: T0 - 500,
            quality: 'sensor_fault',
          },
        ],
      },
    },
    event: {
      id: SPEAKER,
      payload: {
        v: 1,
        deviceId: SPEAKER,
        seq: 311,
        ts: T0 + 1000,
        event: {
          kind: 'playback',
          phase: 'start',
          broadcastId: 'bc-2026-0101-storm',
          priority: 'emergency',
          commandId: '3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c3d4e5f',
          audioId: AUDIO_ID,
        },
      },
    },
    ack: {
      id: SPEAKER,
      payload: {
        v: 1,
        deviceId: SPEAKER,
        ref: { kind: 'command', commandId: '3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c3d4e5f' },
        status: 'received',
        ts: T0 + 200,
      },
    },
    cmd: {
      id: SPEAKER,
      payload: signMessage(
        {
          v: 1,
          id: '3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c3d4e5f',
          ...signed,
          target: { kind: 'device', deviceId: SPEAKER },
          body: {
            type: 'play',
            broadcastId: 'bc-2026-0101-storm',
            priority: 'emergency',
            playlist: [ANNOUNCEMENT],
            repeat: 2,
            volume: 90,
          },
        },
        EXAMPLE_PRIVATE_KEY,
      ),
    },
    schedule: {
      id: SPEAKER,
      payload: signMessage(
        {
          v: 1,
          id: '7a1e5c3b-2d4f-4e6a-8b9c-0d1e2f3a4b5c',
          ...signed,
          expiresAt: T0 + 30 * 86_400_000,
          deviceId: SPEAKER,
          version: 13,
          timezone: 'Asia/Ho_Chi_Minh',
          entries: [
            {
              id: 'morning-news',
              broadcastId: 'bc-morning',
              title: 'Bản tin sáng',
              cron: '0 30 6 * * mon-sat',
              validFrom: T0,
              playlist: [{ ...ANNOUNCEMENT, title: 'Bản tin sáng' }],
              volume: 70,
              priority: 'normal',
            },
          ],
        },
        EXAMPLE_PRIVATE_KEY,
      ),
    },
    config: {
      id: STATION,
      payload: signMessage(
        {
          v: 1,
          id: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
          ...signed,
          deviceId: STATION,
          version: 4,
          groups: ['xa-tan-hiep'],
          devices: [
            {
              name: 'aqms',
              profile: 'air-station-aqms',
              link: { type: 'rtu', path: '/dev/ttyUSB0', baudRate: 9600 },
              unitId: 1,
              pollIntervalMs: 60_000,
            },
          ],
          statusIntervalS: 60,
        },
        EXAMPLE_PRIVATE_KEY,
      ),
    },
    groupCmd: {
      id: 'xa-tan-hiep',
      payload: signMessage(
        {
          v: 1,
          id: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
          ...signed,
          target: { kind: 'group', groupId: 'xa-tan-hiep' },
          body: { type: 'set-volume', volume: 60 },
        },
        EXAMPLE_PRIVATE_KEY,
      ),
    },
    alarm: {
      id: STATION,
      payload: {
        v: 1,
        id: 'alm-0001',
        stationId: STATION,
        ruleId: 'pm25-24h',
        state: 'raised',
        severity: 'warning',
        ts: T0,
        channel: 'pm25',
        value: 61.4,
        limit: 50,
        unit: 'µg/m³',
        standard: 'QCVN 05:2023/BTNMT',
        message: 'PM2.5 24-hour mean above the national limit',
      },
    },
  };
}
