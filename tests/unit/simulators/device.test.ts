import { builtinProfiles, decodeRegister, getProfile, registerByName } from '@xaso/device-profiles';
import { DeviceBus, ModbusException, SimulatedDevice, answerPdu } from '@xaso/simulators';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function fixedDevice(name: string, extra: Partial<ConstructorParameters<typeof SimulatedDevice>[0]> = {}) {
  let now = T0;
  const device = new SimulatedDevice({ profile: getProfile(name), seed: 4, clock: () => now, ...extra });
  const advance = (ms: number) => {
    now += ms;
  };
  return { device, advance };
}

function exceptionCode(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModbusException) return err.code;
    throw err;
  }
  return undefined;
}

describe('SimulatedDevice and its register bank', () => {
  it('serves what snapshot() reports, for every register of every shipped profile', () => {
    for (const profile of builtinProfiles().values()) {
      const device = new SimulatedDevice({ profile, seed: 2, clock: () => T0 });
      const snapshot = device.snapshot();
      for (const reg of profile.registers) {
        const words = device.read(
          reg.function,
          reg.address,
          reg.type === 'float64' ? 4 : reg.type.endsWith('32') ? 2 : 1,
        );
        const decoded = decodeRegister(reg, words);
        expect(decoded.quality, `${profile.name}.${reg.name}`).toBe('good');
        expect(decoded.value).toBeCloseTo(snapshot[reg.name] ?? Number.NaN, 5);
      }
    }
  });

  it('moves with the clock and freezes under a stuck fault', () => {
    const { device, advance } = fixedDevice('air-station-aqms');
    const first = device.snapshot();
    advance(20 * 60_000);
    const later = device.snapshot();
    expect(later.pm25).not.toBe(first.pm25);
    device.addFault({ kind: 'stuck', channel: 'pm25' });
    advance(20 * 60_000);
    const stuck = device.snapshot();
    expect(stuck.pm25).toBe(later.pm25);
    expect(stuck.no2).not.toBe(later.no2);
  });

  it('forces and releases a value with set()', () => {
    const { device } = fixedDevice('air-station-aqms');
    device.set('pm25', 321.5);
    expect(device.snapshot().pm25).toBe(321.5);
    device.release('pm25');
    expect(device.snapshot().pm25).not.toBe(321.5);
    expect(() => device.set('nope', 1)).toThrow(/no channel "nope"/);
  });

  it('serves the instrument fault value when a sensor is disconnected, and NaN for floats on a nan fault', () => {
    const { device } = fixedDevice('air-station-aqms', {
      faults: [{ kind: 'disconnected', channel: 'pm25' }],
    });
    const pm25 = registerByName(device.profile, 'pm25');
    expect(decodeRegister(pm25, device.bank.wordsOf(pm25))).toMatchObject({
      value: null,
      raw: -9999,
      quality: 'sensor_fault',
    });
    device.setFaults([{ kind: 'nan', channel: 'o3' }]);
    const o3 = registerByName(device.profile, 'o3');
    expect(decodeRegister(o3, device.bank.wordsOf(o3)).quality).toBe('nan');
    expect(decodeRegister(pm25, device.bank.wordsOf(pm25)).quality).toBe('good');
    const pm = fixedDevice('pm-sensor-rs485').device;
    expect(() => pm.addFault({ kind: 'nan', channel: 'pm25' })).toThrow(/no float register/);
    expect(() => pm.addFault({ kind: 'stuck', channel: 'so2' })).toThrow(/no channel "so2"/);
  });

  it('holds what the master writes to the relay coil and volume register, and refuses bad writes', () => {
    const { device } = fixedDevice('speaker-controller');
    expect(device.snapshot().amplifier_current).toBeLessThan(0.1);
    device.write(1, 0, [1]);
    device.write(3, 0, [35]);
    const on = device.snapshot();
    expect(on.amplifier_relay).toBe(1);
    expect(on.volume).toBe(35);
    expect(on.amplifier_current).toBeGreaterThan(2);
    expect(exceptionCode(() => device.write(3, 0, [150]))).toBe(3);
    expect(device.snapshot().volume).toBe(35);
    expect(exceptionCode(() => device.write(3, 1, [1]))).toBe(2);
    expect(exceptionCode(() => device.read(4, 3, 2))).toBe(2);
    expect(exceptionCode(() => device.read(1, 0, 1))).toBeUndefined();
  });

  it('answers PDUs with data or the right exception', () => {
    const { device } = fixedDevice('speaker-controller');
    expect(answerPdu(device, hex('05 00 00 FF 00'))).toEqual(hex('05 00 00 FF 00'));
    expect(answerPdu(device, hex('01 00 00 00 01'))).toEqual(hex('01 01 01'));
    expect(answerPdu(device, hex('10 00 00 00 01 02 00 2A'))).toEqual(hex('10 00 00 00 01'));
    expect(answerPdu(device, hex('03 00 00 00 01'))).toEqual(hex('03 02 00 2A'));
    expect(answerPdu(device, hex('2B 0E 01 00'))).toEqual(hex('AB 01'));
    expect(answerPdu(device, hex('03 00 00 00 00'))).toEqual(hex('83 03'));
    expect(answerPdu(device, hex('03 00 00'))).toEqual(hex('83 03'));
    expect(answerPdu(device, hex('04 00 09 00 01'))).toEqual(hex('84 02'));
    expect(answerPdu(device, hex('05 00 00 12 34'))).toEqual(hex('85 03'));
    expect(answerPdu(device, hex('0F 00 00 00 01 01 00'))).toEqual(hex('0F 00 00 00 01'));
    expect(device.snapshot().amplifier_relay).toBe(0);
  });

  it('routes unit ids on a bus and applies frame faults', () => {
    const a = fixedDevice('pm-sensor-rs485', { unitId: 1 }).device;
    const b = fixedDevice('speaker-controller', {
      unitId: 7,
      faults: [{ kind: 'exception', code: 6, probability: 1 }],
    }).device;
    const rtu = new DeviceBus([a, b], 'silent');
    expect(rtu.answer(1, hex('03 00 00 00 02'))).toMatchObject({ kind: 'reply', garble: false });
    expect(rtu.answer(7, hex('04 00 00 00 01'))).toEqual({ kind: 'reply', pdu: hex('84 06'), garble: false });
    expect(rtu.answer(9, hex('03 00 00 00 01'))).toMatchObject({ kind: 'silent' });
    const tcp = new DeviceBus([a], 'gateway-exception');
    expect(tcp.answer(9, hex('03 00 00 00 01'))).toEqual({ kind: 'reply', pdu: hex('83 0B'), garble: false });
    a.setFaults([{ kind: 'timeout', probability: 1 }]);
    expect(tcp.answer(1, hex('03 00 00 00 01'))).toMatchObject({ kind: 'silent' });
    a.setFaults([{ kind: 'crc', probability: 1 }]);
    expect(tcp.answer(1, hex('03 00 00 00 01'))).toMatchObject({ kind: 'reply', garble: true });
    expect(() => new DeviceBus([a, fixedDevice('pm-sensor-rs485').device], 'silent')).toThrow(
      /unit id 1 is used twice/,
    );
  });

  it('rolls probabilistic faults at about their rate, reproducibly for a seed', () => {
    const roll = () => {
      const { device } = fixedDevice('pm-sensor-rs485', { faults: [{ kind: 'timeout', probability: 0.2 }] });
      return Array.from({ length: 2000 }, () => device.frameOutcome().kind);
    };
    const outcomes = roll();
    const timeouts = outcomes.filter((k) => k === 'timeout').length;
    expect(timeouts).toBeGreaterThan(320);
    expect(timeouts).toBeLessThan(480);
    expect(roll()).toEqual(outcomes);
  });
});
