import type { SpeakerState } from '@xaso/device-profiles/contract';
import type { AmplifierState } from './amplifier-power.js';
import type { Arbiter } from './arbiter.js';
import type { AmplifierHealth } from './ports.js';

/** What the retained status says about the cluster: what plays, at what volume, and the board's readings. */
export function speakerStatus(
  arbiter: Arbiter,
  board: AmplifierHealth,
  amplifier: AmplifierState,
  scheduleVersion: number | undefined,
): SpeakerState {
  const now = arbiter.nowPlaying;
  return {
    playing: now
      ? {
          broadcastId: now.job.broadcastId,
          title: now.item?.title ?? now.job.title,
          priority: now.job.priority,
          startedAt: now.startedAt,
        }
      : null,
    volume: arbiter.volume,
    amplifier: board.fault ? 'fault' : amplifier,
    scheduleVersion,
    mainsV: board.mainsV,
    batteryV: board.batteryV,
    amplifierA: board.currentA,
    doorOpen: board.doorOpen,
    temperatureC: board.temperatureC,
  };
}
