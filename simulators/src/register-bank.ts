import {
  type FunctionCode,
  type Profile,
  type RegisterDef,
  encodeRaw,
  encodeRegister,
  wordsOf,
} from '@xaso/device-profiles';
import { ExceptionCode, ModbusException } from './modbus/exception.js';

/** One cell of a function space: the register it belongs to and which of its words. */
interface Cell {
  reg: RegisterDef;
  word: number;
}

const SPACE_NAMES: Record<FunctionCode, string> = {
  1: 'coil',
  2: 'discrete input',
  3: 'holding register',
  4: 'input register',
};

/** The four Modbus function spaces of one device, as 16-bit words (bits are stored as 0/1). */
export class RegisterBank {
  private readonly cells = new Map<FunctionCode, Map<number, Cell>>();
  private readonly words = new Map<FunctionCode, Map<number, number>>();

  constructor(readonly profile: Profile) {
    for (const fc of [1, 2, 3, 4] as const) {
      this.cells.set(fc, new Map());
      this.words.set(fc, new Map());
    }
    for (const reg of profile.registers) {
      for (let w = 0; w < wordsOf(reg); w++) {
        this.space(reg.function).set(reg.address + w, { reg, word: w });
        this.store(reg.function).set(reg.address + w, 0);
      }
    }
  }

  /** Serves an engineering value: scale/offset and word order as the profile says. */
  setValue(reg: RegisterDef, value: number): void {
    this.setWords(reg, encodeRegister(reg, value));
  }

  /** Serves a raw number (before scale), e.g. an instrument's -9999 fault marker. */
  setRaw(reg: RegisterDef, raw: number): void {
    this.setWords(reg, encodeRaw(reg, raw));
  }

  setWords(reg: RegisterDef, words: readonly number[]): void {
    const store = this.store(reg.function);
    words.forEach((w, i) => store.set(reg.address + i, w));
  }

  /** The words (or 0/1 bits) a register currently serves. */
  wordsOf(reg: RegisterDef): number[] {
    const store = this.store(reg.function);
    return Array.from({ length: wordsOf(reg) }, (_, i) => store.get(reg.address + i) ?? 0);
  }

  /** Reads `count` cells; any unmapped address makes the whole request illegal, as on real devices. */
  read(fc: FunctionCode, address: number, count: number): number[] {
    const store = this.store(fc);
    return Array.from({ length: count }, (_, i) => {
      const value = store.get(address + i);
      if (value === undefined) {
        throw new ModbusException(
          ExceptionCode.IllegalDataAddress,
          `no ${SPACE_NAMES[fc]} at address ${address + i}`,
        );
      }
      return value;
    });
  }

  /** The registers a write touches, each with its new words; rejects unmapped or read-only cells. */
  plan(fc: 1 | 3, address: number, values: readonly number[]): Map<RegisterDef, number[]> {
    const space = this.space(fc);
    const plan = new Map<RegisterDef, number[]>();
    values.forEach((value, i) => {
      const cell = space.get(address + i);
      if (!cell || !cell.reg.writable) {
        const what = cell
          ? `${cell.reg.name} is read-only`
          : `no ${SPACE_NAMES[fc]} at address ${address + i}`;
        throw new ModbusException(ExceptionCode.IllegalDataAddress, what);
      }
      const words = plan.get(cell.reg) ?? this.wordsOf(cell.reg);
      words[cell.word] = value;
      plan.set(cell.reg, words);
    });
    return plan;
  }

  private space(fc: FunctionCode): Map<number, Cell> {
    const space = this.cells.get(fc);
    if (!space) throw new Error(`function space ${fc} does not exist`);
    return space;
  }

  private store(fc: FunctionCode): Map<number, number> {
    const store = this.words.get(fc);
    if (!store) throw new Error(`function space ${fc} does not exist`);
    return store;
  }
}
