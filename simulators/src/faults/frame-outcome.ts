import type { SeededRandom } from '../values/random.js';
import type { FrameFault } from './spec.js';

/** What the transport does with one request: answer it, stay silent, answer an exception, or garble the reply. */
export type FrameOutcome =
  | { kind: 'answer' }
  | { kind: 'timeout' }
  | { kind: 'exception'; code: number }
  | { kind: 'garble' };

/** Rolls each frame fault in order (timeouts first, as a dead line hides everything else). */
export function decideFrame(faults: readonly FrameFault[], random: SeededRandom): FrameOutcome {
  const order = ['timeout', 'exception', 'crc'] as const;
  for (const kind of order) {
    for (const fault of faults.filter((f) => f.kind === kind)) {
      if (random.next() >= fault.probability) continue;
      if (fault.kind === 'timeout') return { kind: 'timeout' };
      if (fault.kind === 'exception') return { kind: 'exception', code: fault.code };
      return { kind: 'garble' };
    }
  }
  return { kind: 'answer' };
}
