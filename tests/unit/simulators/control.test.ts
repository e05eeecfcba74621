import { getProfile } from '@xaso/device-profiles';
import { SimulatedDevice, runControlCommand } from '@xaso/simulators';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);

describe('operator commands on a running simulator', () => {
  const pm = new SimulatedDevice({ profile: getProfile('pm-sensor-rs485'), unitId: 1, clock: () => T0 });
  const speaker = new SimulatedDevice({
    profile: getProfile('speaker-controller'),
    unitId: 5,
    clock: () => T0,
  });
  const target = { devices: [pm, speaker] };

  it('replaces and clears faults, on every device or on one unit', async () => {
    expect(await runControlCommand(target, 'faults timeout:0.5,crc')).toBe('faults now timeout:0.5,crc:1');
    expect(pm.faults).toHaveLength(2);
    expect(speaker.faults).toHaveLength(2);
    expect(await runControlCommand(target, 'unit=5 faults')).toBe('faults cleared');
    expect(speaker.faults).toHaveLength(0);
    expect(pm.faults).toHaveLength(2);
    await expect(runControlCommand(target, 'faults timeout:9')).rejects.toThrow(/probability "9"/);
    expect(await runControlCommand(target, 'unit=9 faults')).toBe('no device with unit id 9');
  });

  it('forces and releases values, and explains mistakes', async () => {
    expect(await runControlCommand(target, 'unit=1 set pm25 640')).toBe('pm25 forced to 640');
    expect(pm.snapshot().pm25).toBe(640);
    expect(await runControlCommand(target, 'unit=1 release pm25')).toBe('pm25 released');
    expect(pm.snapshot().pm25).not.toBe(640);
    expect(await runControlCommand(target, 'set pm25 lots')).toMatch(/usage: set/);
    expect(await runControlCommand(target, 'unplug')).toMatch(/needs an RTU line/);
    expect(await runControlCommand(target, 'dance')).toMatch(/unknown command "dance"/);
    expect(await runControlCommand(target, 'unit=1 status')).toMatch(/^pm-sensor-rs485 unit 1 faults=\[/);
  });
});
