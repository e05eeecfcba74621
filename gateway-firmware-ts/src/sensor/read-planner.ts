import { type FunctionCode, type RegisterDef, wordsOf } from '@xaso/device-profiles';

/** One Modbus read request and the registers it serves. */
export interface PlannedRead {
  fc: FunctionCode;
  address: number;
  count: number;
  registers: RegisterDef[];
}

export interface PlanOptions {
  /** Unused registers (or bits) a request may read through to save a request; 0 reads no holes. */
  gapTolerance: number;
}

/** Modbus limits per request: 125 registers for FC3/FC4, 2000 bits for FC1/FC2. */
export const MAX_PER_REQUEST: Record<FunctionCode, number> = { 1: 2000, 2: 2000, 3: 125, 4: 125 };

/** Merges registers per function code into as few reads as the Modbus limits and the gap tolerance allow. */
export function planReads(registers: readonly RegisterDef[], options: PlanOptions): PlannedRead[] {
  const byFc = new Map<FunctionCode, RegisterDef[]>();
  for (const reg of registers) byFc.set(reg.function, [...(byFc.get(reg.function) ?? []), reg]);
  const plan: PlannedRead[] = [];
  for (const fc of [...byFc.keys()].sort()) {
    const regs = [...(byFc.get(fc) ?? [])].sort((a, b) => a.address - b.address);
    let current: PlannedRead | undefined;
    for (const reg of regs) {
      const end = reg.address + wordsOf(reg);
      if (current) {
        const currentEnd = current.address + current.count;
        const gap = reg.address - currentEnd;
        const merged = Math.max(currentEnd, end) - current.address;
        if (gap <= options.gapTolerance && merged <= MAX_PER_REQUEST[fc]) {
          current.count = merged;
          current.registers.push(reg);
          continue;
        }
      }
      current = { fc, address: reg.address, count: end - reg.address, registers: [reg] };
      plan.push(current);
    }
  }
  return plan;
}

/** The slice of a read's result that belongs to one register. */
export function wordsFor<T>(read: PlannedRead, reg: RegisterDef, data: readonly T[]): T[] {
  const start = reg.address - read.address;
  return data.slice(start, start + wordsOf(reg));
}
