import { join } from 'node:path';
import { getProfile } from '@xaso/device-profiles';
import type { AttachedDevice } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { LocalConfig } from '../config/local-config.js';
import type { BusPool } from '../sensor/bus-pool.js';
import type { SerialSettings } from '../sensor/bus.js';
import { HttpAudioCache } from './io/audio-cache.js';
import { ClockPlayer } from './io/clock-player.js';
import { ModbusAmplifier, NullAmplifier } from './io/modbus-amplifier.js';
import { ProcessPlayer } from './io/process-player.js';
import type { SpeakerSettings } from './settings.js';
import type { SpeakerParts } from './speaker-role.js';

/** The board's line settings: its link's, else its profile's. */
function serialOf(board: AttachedDevice): SerialSettings {
  const t = getProfile(board.profile).transport;
  const p = t.type === 'rtu' ? t : undefined;
  const l = board.link.type === 'rtu' ? board.link : undefined;
  return {
    baudRate: l?.baudRate ?? p?.baudRate ?? 9600,
    parity: l?.parity ?? p?.parity ?? 'none',
    dataBits: l?.dataBits ?? p?.dataBits ?? 8,
    stopBits: l?.stopBits ?? p?.stopBits ?? 1,
  };
}

/** The parts built from gateway.json, with what the program must do around the gateway's own start/stop. */
export interface OpenedSpeakerParts {
  parts: SpeakerParts;
  /** Starts reading the controller board's health. */
  start(): void;
  /** Stops the board reads and releases its bus (after the gateway stopped). */
  close(): Promise<void>;
}

/** Player, audio cache and controller board as the local config's `speaker` section describes them. */
export async function openSpeakerParts(
  config: LocalConfig,
  speaker: SpeakerSettings,
  pool: BusPool,
  log: Logger,
): Promise<OpenedSpeakerParts> {
  const player = speaker.simulatePlayback
    ? new ClockPlayer()
    : new ProcessPlayer(speaker.player, log.child({ part: 'player' }));
  const audio = await HttpAudioCache.open(
    {
      dir: speaker.audio.dir ?? join(config.dataDir, 'audio'),
      consoleUrl: speaker.audio.consoleUrl,
      budgetBytes: speaker.audio.budgetBytes,
    },
    { deviceId: config.deviceId, password: config.mqtt.password ?? '' },
    log.child({ part: 'audio' }),
    (item, error) => log.warn({ audioId: item.audioId, err: error.message }, 'prefetch failed'),
  );
  const board = speaker.amplifier;
  if (!board)
    return {
      parts: { player, audio, amplifier: new NullAmplifier() },
      start: () => {},
      close: async () => {},
    };
  const bus = pool.acquire(
    {
      link: board.link,
      serial: serialOf(board),
      reopenBaseMs: config.polling.backoffBaseMs,
      reopenMaxMs: config.polling.backoffMaxMs,
    },
    log,
  );
  const amplifier = new ModbusAmplifier({ device: board, bus }, log.child({ part: 'amplifier' }));
  return {
    parts: { player, audio, amplifier },
    start: () => amplifier.start(),
    close: async () => {
      await amplifier.stop();
      await pool.release(bus);
    },
  };
}
