import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PROFILE_DIR, ProfileError, type ProfileInput, parseProfile } from '@xaso/device-profiles';
import { describe, expect, it } from 'vitest';

type RegisterInput = ProfileInput['registers'][number];

const FILE = '/srv/profiles/test-sensor.json';

function sensor(registers?: RegisterInput[], extra: Partial<ProfileInput> = {}): ProfileInput {
  return {
    name: 'test-sensor',
    kind: 'pm-sensor',
    manufacturer: 'Test',
    model: 'T-1',
    transport: { type: 'rtu' },
    registers: registers ?? [
      { name: 'pm25', function: 3, address: 0, type: 'uint16', unit: 'µg/m³' },
      { name: 'temperature', function: 3, address: 1, type: 'float32', unit: '°C' },
      { name: 'status', function: 4, address: 0, type: 'uint16', unit: 'state' },
    ],
    ...extra,
  };
}

function withRegister(patch: Partial<RegisterInput>, index = 0): ProfileInput {
  const p = sensor();
  p.registers[index] = { ...(p.registers[index] as RegisterInput), ...patch };
  return p;
}

const SPEAKER_FILE = join(BUILTIN_PROFILE_DIR, 'speaker-controller.json');
function speaker(): ProfileInput & { capabilities: { speaker: Record<string, string> } } {
  return JSON.parse(readFileSync(SPEAKER_FILE, 'utf8'));
}

/** Parses and returns the ProfileError, failing the test if the profile loaded. */
function errorOf(profile: unknown, file = FILE): ProfileError {
  try {
    parseProfile(JSON.stringify(profile), file);
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('profile was accepted');
}

/** The error names the file, the exact field and why, both as data and in its message. */
function expectIssue(profile: unknown, field: string, why: RegExp, file = FILE): void {
  const err = errorOf(profile, file);
  expect(err.file).toBe(file);
  expect(err.message.startsWith(`${file}: invalid device profile`)).toBe(true);
  const issue = err.issues.find((i) => i.field === field);
  expect(issue, `no issue on ${field}; got ${JSON.stringify(err.issues)}`).toBeDefined();
  expect(issue?.message).toMatch(why);
  expect(err.message).toContain(`  ${field}: ${issue?.message}`);
}

describe('profile rules', () => {
  it('accepts the base profile (so every failure below is the one change)', () => {
    const profile = parseProfile(JSON.stringify(sensor()), FILE);
    expect(profile.registers[0]).toMatchObject({ order: 'ABCD', scale: 1, offset: 0, writable: false });
    expect(profile.transport).toEqual({
      type: 'rtu',
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      unitId: 1,
      timeoutMs: 1000,
    });
  });

  it('refuses registers that overlap in the same function space', () => {
    const p = sensor();
    p.registers.push({ name: 'humidity', function: 3, address: 2, type: 'uint16', unit: '%RH' });
    expectIssue(
      p,
      'registers[3].address',
      /"humidity" \(function 3, address 2\) overlaps "temperature" \(addresses 1–2\)/,
    );
  });

  it('accepts the same address in different function spaces', () => {
    const p = sensor();
    p.registers.push(
      { name: 'relay', function: 1, address: 0, type: 'bool', unit: 'state', writable: true },
      { name: 'door', function: 2, address: 0, type: 'bool', unit: 'state' },
    );
    expect(parseProfile(JSON.stringify(p), FILE).registers).toHaveLength(5);
  });

  it('refuses an unknown data type', () => {
    expectIssue(
      withRegister({ type: 'float16' as RegisterInput['type'] }),
      'registers[0].type',
      /Invalid option.*"float32"/,
    );
  });

  it('refuses float32 with length 1', () => {
    expectIssue(
      withRegister({ length: 1 }, 1),
      'registers[1].length',
      /float32 occupies 2 register\(s\), but length is 1/,
    );
  });

  it('refuses float64 with length 2', () => {
    expectIssue(
      withRegister({ type: 'float64', address: 10, length: 2 }, 1),
      'registers[1].length',
      /float64 occupies 4 register\(s\), but length is 2/,
    );
  });

  it('refuses bool on function 3', () => {
    expectIssue(
      withRegister({ type: 'bool', unit: 'state' }),
      'registers[0].type',
      /bool needs function 1 \(coil\) or 2 \(discrete input\), not 3/,
    );
  });

  it('refuses int16 on function 1', () => {
    expectIssue(
      withRegister({ function: 1 }),
      'registers[0].type',
      /function 1 reads bits: type must be bool, not uint16/,
    );
  });

  it('refuses a register running past address 65535', () => {
    expectIssue(
      withRegister({ address: 65535 }, 1),
      'registers[1].address',
      /float32 at 65535 runs past address 65535/,
    );
    expectIssue(withRegister({ address: 65536 }), 'registers[0].address', /<=65535/);
  });

  it('refuses a range whose minimum is not below its maximum', () => {
    expectIssue(
      withRegister({ range: [100, 100] }),
      'registers[0].range',
      /range minimum 100 must be below maximum 100/,
    );
    expectIssue(withRegister({ range: [5, 1] }), 'registers[0].range', /minimum 5 must be below maximum 1/);
  });

  it('refuses scale 0', () => {
    expectIssue(withRegister({ scale: 0 }), 'registers[0].scale', /scale must be a finite non-zero number/);
  });

  it('refuses writable on function 4 (and 2)', () => {
    expectIssue(withRegister({ writable: true }, 2), 'registers[2].writable', /function 4 is read-only/);
    const p = sensor();
    p.registers.push({ name: 'door', function: 2, address: 0, type: 'bool', unit: 'state', writable: true });
    expectIssue(p, 'registers[3].writable', /function 2 is read-only/);
  });

  it('refuses a duplicate register name', () => {
    expectIssue(withRegister({ name: 'pm25' }, 2), 'registers[2].name', /duplicate register name "pm25"/);
  });

  it('refuses an unknown unit', () => {
    expectIssue(
      withRegister({ unit: 'ug/m3' as RegisterInput['unit'] }),
      'registers[0].unit',
      /Invalid option.*"µg\/m³"/,
    );
  });

  it('refuses an unknown field, in a register and at the top (strict)', () => {
    expectIssue(
      withRegister({ scaling: 2 } as Partial<RegisterInput>),
      'registers[0]',
      /Unrecognized key: "scaling"/,
    );
    expectIssue({ ...sensor(), vendor: 'x' }, '(root)', /Unrecognized key: "vendor"/);
    expectIssue(
      { ...sensor(), transport: { type: 'rtu', baud: 9600 } },
      'transport',
      /Unrecognized key: "baud"/,
    );
  });

  it('refuses a channel that references a missing register', () => {
    expectIssue(
      sensor(undefined, { capabilities: { channels: ['pm25', 'pm10'] } }),
      'capabilities.channels[1]',
      /channel "pm10" has no register/,
    );
  });

  it('refuses a speaker capability that references a missing register', () => {
    const p = speaker();
    p.capabilities.speaker.tamper = 'door_switch';
    expectIssue(p, 'capabilities.speaker.tamper', /refers to unknown register "door_switch"/, SPEAKER_FILE);
  });

  it('refuses an amplifier relay that is not a writable coil', () => {
    const p = speaker();
    p.capabilities.speaker.amplifierRelay = 'door_open';
    expectIssue(
      p,
      'capabilities.speaker.amplifierRelay',
      /"door_open" must be a writable coil \(function 1\)/,
      SPEAKER_FILE,
    );
    const q = speaker();
    (q.registers[0] as RegisterInput).writable = false;
    expectIssue(q, 'capabilities.speaker.amplifierRelay', /must be a writable coil/, SPEAKER_FILE);
  });

  it('refuses a volume that is not a writable holding register', () => {
    const p = speaker();
    p.capabilities.speaker.volume = 'mains_voltage';
    expectIssue(
      p,
      'capabilities.speaker.volume',
      /"mains_voltage" must be a writable holding register \(function 3\)/,
      SPEAKER_FILE,
    );
  });

  it('refuses a speaker-controller without speaker capabilities', () => {
    const p = speaker();
    const { speaker: _dropped, ...rest } = p.capabilities;
    expectIssue(
      { ...p, capabilities: rest },
      'capabilities.speaker',
      /a speaker-controller profile must describe its speaker points/,
      SPEAKER_FILE,
    );
  });

  it('refuses a name that does not match the file name', () => {
    expectIssue(
      sensor(),
      'name',
      /"test-sensor" must match the file name "other-sensor"/,
      '/srv/profiles/other-sensor.json',
    );
  });
});
