import type { Command } from '@xaso/device-profiles/contract';
import type { RoleContext } from '../core/role.js';
import type { AmplifierPower } from './amplifier-power.js';
import type { Arbiter } from './arbiter.js';
import { jobOfCommand } from './job.js';

/** What a verified command acts on: the playback arbiter and the amplifier's power. */
export interface CommandTargets {
  context: RoleContext;
  arbiter: Arbiter;
  power: AmplifierPower;
}

/** Carries out an accepted command and acks its outcome; a failure is acked, never thrown. */
export async function executeCommand(command: Command, targets: CommandTargets): Promise<void> {
  const { context, arbiter, power } = targets;
  const ref = { kind: 'command' as const, commandId: command.id };
  const body = command.body;
  try {
    switch (body.type) {
      case 'play':
      case 'live':
        arbiter.submit(jobOfCommand(command, body));
        return;
      case 'stop': {
        const n = arbiter.stop(body.broadcastId, `stopped by ${command.issuer}`);
        context.ack(ref, 'done', `${n} broadcast(s) stopped`);
        return;
      }
      case 'set-volume':
        await arbiter.setVolume(body.volume);
        context.ack(ref, 'done');
        return;
      case 'amplifier':
        await power.set(body.on);
        context.ack(ref, 'done');
        if (body.on) power.idle();
        return;
      case 'ping':
        context.ack(ref, 'done');
        return;
      case 'reboot':
        context.ack(ref, 'done', 'restarting');
        if (!context.requestRestart(`reboot command ${command.id} by ${command.issuer}`))
          context.ack(ref, 'failed', 'this host cannot restart the gateway');
        return;
    }
  } catch (err) {
    context.ack(ref, 'failed', (err as Error).message);
  }
}
