import { AckSchema, filters, parseTopic } from '@xaso/device-profiles/contract';
import type { Ack } from '@xaso/device-profiles/contract';
import type { ConsoleContext } from '../../app/env.js';

/**
 * Subscribes to every gateway's ack topic and hands valid acks on. A malformed ack or one whose
 * deviceId disagrees with its topic is logged with the reason and dropped.
 */
export async function listenForAcks(
  deps: Pick<ConsoleContext, 'uplink' | 'log'>,
  handle: (ack: Ack) => void,
): Promise<void> {
  await deps.uplink.subscribe(filters.allAcks, (topic, payload) => {
    const parsed = parseTopic(topic);
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      deps.log.warn({ topic }, 'ack is not JSON; ignored');
      return;
    }
    const result = AckSchema.safeParse(json);
    if (!result.success) {
      deps.log.warn(
        { topic, issue: result.error.issues[0]?.message },
        'ack does not match the contract; ignored',
      );
      return;
    }
    if (parsed?.scope !== 'device' || parsed.deviceId !== result.data.deviceId) {
      deps.log.warn(
        { topic, deviceId: result.data.deviceId },
        'ack deviceId differs from its topic; ignored',
      );
      return;
    }
    handle(result.data);
  });
}
