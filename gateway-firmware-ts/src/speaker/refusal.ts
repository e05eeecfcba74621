import type { RoleContext } from '../core/role.js';
import type { Refused } from './console-messages.js';

/** Logs and reports a refused console message, and refuses it in an ack when its id or version is known. */
export function reportRefusal(context: RoleContext, what: 'command' | 'schedule', verdict: Refused): void {
  context.log.warn({ what, reason: verdict.reason, detail: verdict.detail, id: verdict.id }, 'refused');
  context.emit({ kind: 'refused', what, id: verdict.id, reason: verdict.reason, detail: verdict.detail });
  if (what === 'command' && verdict.id !== undefined)
    context.ack({ kind: 'command', commandId: verdict.id }, 'refused', verdict.reason);
  if (what === 'schedule' && verdict.version !== undefined)
    context.ack({ kind: 'schedule', version: verdict.version }, 'refused', verdict.reason);
}
