import { z } from 'zod';

const Probability = z.number().gt(0).lte(1);
const ChannelName = z.string().regex(/^[a-z][a-z0-9_]*$/);

/** Faults the simulator can inject; frame faults carry a probability, value faults an optional channel. */
export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('timeout'), probability: Probability }),
  z.object({
    kind: z.literal('exception'),
    code: z.number().int().min(1).max(255),
    probability: Probability,
  }),
  z.object({ kind: z.literal('crc'), probability: Probability }),
  z.object({ kind: z.literal('stuck'), channel: ChannelName.optional() }),
  z.object({ kind: z.literal('disconnected'), channel: ChannelName.optional() }),
  z.object({ kind: z.literal('nan'), channel: ChannelName.optional() }),
]);
export type Fault = z.infer<typeof FaultSchema>;
export type FrameFault = Extract<Fault, { kind: 'timeout' | 'exception' | 'crc' }>;
export type ValueFault = Extract<Fault, { kind: 'stuck' | 'disconnected' | 'nan' }>;

export const FAULT_SPEC_HELP =
  'comma-separated: timeout[:p], exception:<code>[:p], crc[:p], stuck[:channel], disconnected[:channel], nan[:channel] ' +
  '(p = probability in (0, 1], default 1; e.g. timeout:0.1,exception:4:0.05,crc:0.02,stuck,disconnected:pm25)';

export class FaultSpecError extends Error {
  constructor(item: string, reason: string) {
    super(`bad fault "${item}": ${reason}. Expected ${FAULT_SPEC_HELP}`);
    this.name = 'FaultSpecError';
  }
}

export function isFrameFault(fault: Fault): fault is FrameFault {
  return fault.kind === 'timeout' || fault.kind === 'exception' || fault.kind === 'crc';
}

/** Parses `timeout:0.1,exception:4:0.05,crc:0.02,stuck,disconnected:pm25`; an empty spec means no faults. */
export function parseFaultSpec(spec: string): Fault[] {
  if (spec.trim() === '') return [];
  return spec.split(',').map((item) => parseFault(item.trim()));
}

function parseFault(item: string): Fault {
  if (item === '') throw new FaultSpecError(item, 'empty item (two commas in a row, or a trailing comma?)');
  const [kind = '', ...args] = item.split(':');
  switch (kind) {
    case 'timeout':
    case 'crc':
      if (args.length > 1)
        throw new FaultSpecError(item, `${kind} takes at most one argument, a probability`);
      return { kind, probability: probability(item, args[0]) };
    case 'exception': {
      if (args.length < 1 || args.length > 2)
        throw new FaultSpecError(item, 'use exception:<code> or exception:<code>:<probability>');
      const code = Number(args[0]);
      if (!/^\d+$/.test(args[0] ?? '') || code < 1 || code > 255) {
        throw new FaultSpecError(
          item,
          `exception code "${args[0]}" must be an integer 1–255 (e.g. 4 slave device failure, 6 busy)`,
        );
      }
      return { kind, code, probability: probability(item, args[1]) };
    }
    case 'stuck':
    case 'disconnected':
    case 'nan': {
      if (args.length > 1)
        throw new FaultSpecError(item, `${kind} takes at most one argument, a channel name`);
      const channel = args[0];
      if (channel === undefined) return { kind };
      if (!ChannelName.safeParse(channel).success)
        throw new FaultSpecError(item, `"${channel}" is not a channel name`);
      return { kind, channel };
    }
    default:
      throw new FaultSpecError(item, `unknown fault kind "${kind}"`);
  }
}

function probability(item: string, text: string | undefined): number {
  if (text === undefined) return 1;
  const p = Number(text);
  if (text.trim() === '' || !Probability.safeParse(p).success) {
    throw new FaultSpecError(item, `probability "${text}" must be a number greater than 0 and at most 1`);
  }
  return p;
}

/** The spec string for a list of faults, the inverse of parseFaultSpec. */
export function formatFaults(faults: readonly Fault[]): string {
  return faults
    .map((f) => {
      switch (f.kind) {
        case 'exception':
          return `exception:${f.code}:${f.probability}`;
        case 'timeout':
        case 'crc':
          return `${f.kind}:${f.probability}`;
        default:
          return f.channel ? `${f.kind}:${f.channel}` : f.kind;
      }
    })
    .join(',');
}
