import { type RegisterDef, RegisterSchema, getProfile, sensorRegisters } from '@xaso/device-profiles';
import { MAX_PER_REQUEST, planReads } from '@xaso/gateway-firmware-ts';
import { describe, expect, it } from 'vitest';

function reg(
  name: string,
  fc: 1 | 2 | 3 | 4,
  address: number,
  type: RegisterDef['type'] = 'uint16',
): RegisterDef {
  return RegisterSchema.parse({ name, function: fc, address, type, unit: 'count' });
}

describe('read planner', () => {
  it('merges contiguous registers of one function code into one read', () => {
    const plan = planReads([reg('a', 3, 0, 'float32'), reg('b', 3, 2, 'float32'), reg('c', 3, 4)], {
      gapTolerance: 0,
    });
    expect(plan).toEqual([expect.objectContaining({ fc: 3, address: 0, count: 5 })]);
    expect(plan[0]?.registers.map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('reads through holes up to the gap tolerance and no further', () => {
    const regs = [reg('a', 4, 0), reg('b', 4, 4), reg('c', 4, 20)];
    expect(planReads(regs, { gapTolerance: 3 }).map((r) => [r.address, r.count])).toEqual([
      [0, 5],
      [20, 1],
    ]);
    expect(planReads(regs, { gapTolerance: 2 }).map((r) => [r.address, r.count])).toEqual([
      [0, 1],
      [4, 1],
      [20, 1],
    ]);
  });

  it('keeps function codes apart and sorts by address', () => {
    const plan = planReads([reg('x', 4, 1), reg('y', 3, 1), reg('z', 3, 0), reg('w', 1, 0, 'bool')], {
      gapTolerance: 10,
    });
    expect(plan.map((r) => [r.fc, r.address, r.count])).toEqual([
      [1, 0, 1],
      [3, 0, 2],
      [4, 1, 1],
    ]);
  });

  it('never exceeds 125 registers for FC3/FC4 or 2000 bits for FC1/FC2', () => {
    const words = Array.from({ length: 300 }, (_, i) => reg(`r${i}`, 3, i));
    const plan = planReads(words, { gapTolerance: 0 });
    expect(plan.map((r) => r.count)).toEqual([125, 125, 50]);
    const bits = Array.from({ length: 4500 }, (_, i) => reg(`b${i}`, 2, i, 'bool'));
    expect(planReads(bits, { gapTolerance: 0 }).map((r) => r.count)).toEqual([2000, 2000, 500]);
    expect(MAX_PER_REQUEST).toEqual({ 1: 2000, 2: 2000, 3: 125, 4: 125 });
  });

  it('does not split a multi-word value across two requests', () => {
    const regs = [
      ...Array.from({ length: 62 }, (_, i) => reg(`f${i}`, 3, i * 2, 'float32')),
      reg('last', 3, 124, 'float32'),
    ];
    const plan = planReads(regs, { gapTolerance: 0 });
    expect(plan.map((r) => [r.address, r.count])).toEqual([
      [0, 124],
      [124, 2],
    ]);
  });

  it('plans the shipped air station in two requests instead of ten', () => {
    const regs = sensorRegisters(getProfile('air-station-aqms'));
    expect(regs.length).toBe(10);
    expect(planReads(regs, { gapTolerance: 4 })).toHaveLength(2);
    expect(planReads(regs, { gapTolerance: 20 })).toHaveLength(1);
  });
});
