import {
  ClockPlayer,
  type Gateway,
  type LocalConfig,
  createSpeakerGateway,
  parseLocalConfig,
} from '@xaso/gateway-firmware-ts';
import pino from 'pino';
import { tempDir } from '../../harness/index.js';
import { DiskAudio, RecordingBoard } from '../../unit/gateway-speaker/parts.js';
import { consoleKeys } from '../../unit/gateway-speaker/role-harness.js';

export interface SpeakerRigOptions {
  deviceId: string;
  mqttUrl: string;
  dataDir?: string;
  groups?: string[];
  graceMs?: number;
  statusIntervalS?: number;
  /** For a broker that wants credentials (our broker, a secured Mosquitto). */
  username?: string;
  password?: string;
  /** The console key commands must be signed with (default: the unit tests' consoleKeys). */
  signingPublicKeyPem?: string;
}

export interface SpeakerGatewayRig {
  gateway: Gateway;
  config: LocalConfig;
  player: ClockPlayer;
  audio: DiskAudio;
  board: RecordingBoard;
}

export async function speakerConfig(options: SpeakerRigOptions): Promise<LocalConfig> {
  return parseLocalConfig(
    {
      deviceId: options.deviceId,
      mqtt: {
        url: options.mqttUrl,
        username: options.username,
        password: options.password,
        reconnectPeriodMs: 200,
      },
      signingPublicKeyPem: options.signingPublicKeyPem ?? consoleKeys.publicKeyPem,
      dataDir: options.dataDir ?? (await tempDir('xs-spk-gw-')),
      groups: options.groups ?? [],
      queue: { drainRatePerSecond: 500, maxInFlight: 20 },
      statusIntervalS: options.statusIntervalS ?? 1,
    },
    'speaker test config',
  );
}

/** The real Gateway with the loudspeaker role, a clock player, audio in a temp dir and a recording board. */
export async function startSpeakerGateway(
  options: SpeakerRigOptions,
  audio?: DiskAudio,
): Promise<SpeakerGatewayRig> {
  const config = await speakerConfig(options);
  const player = new ClockPlayer();
  const board = new RecordingBoard();
  const disk = audio ?? new DiskAudio(await tempDir('xs-spk-audio-'));
  const gateway = createSpeakerGateway(
    config,
    { player, audio: disk, amplifier: board },
    {
      log: pino({ level: process.env.GW_LOG ?? 'silent' }),
      timing: { amplifierWarmupMs: 0, amplifierIdleOffMs: 60_000, graceMs: options.graceMs ?? 5000 },
    },
  );
  await gateway.start();
  return { gateway, config, player, audio: disk, board };
}
