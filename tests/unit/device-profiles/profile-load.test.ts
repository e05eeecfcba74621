import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BUILTIN_PROFILE_DIR,
  ProfileError,
  builtinProfiles,
  getProfile,
  loadProfileDir,
  loadProfileFile,
  sensorRegisters,
} from '@xaso/device-profiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';

const YAML_PROFILE = `# A technician's profile, written by hand
name: soil-probe
kind: water-quality
manufacturer: Test
model: SP-2
transport:
  type: tcp
  port: 5020
registers:
  - name: moisture
    function: 4
    address: 0x10
    type: int16
    scale: 0.1
    unit: "%"
    range: [0, 100]
  - { name: temperature, function: 4, address: 17, type: float32, order: CDAB, unit: "°C" }
`;

function loadError(file: string): ProfileError {
  try {
    loadProfileFile(file);
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error(`${file} loaded`);
}

describe('profile files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('xaso-profiles');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every shipped profile with its defaults filled in', () => {
    const profiles = builtinProfiles();
    expect([...profiles.keys()]).toEqual([
      'air-station-aqms',
      'pm-sensor-rs485',
      'speaker-controller',
      'water-multiprobe',
    ]);
    for (const profile of profiles.values()) {
      expect(sensorRegisters(profile).length).toBeGreaterThan(0);
      for (const reg of profile.registers) expect(reg.order).toMatch(/^(ABCD|CDAB|BADC|DCBA)$/);
    }
    expect(getProfile('speaker-controller').capabilities.speaker?.volume).toBe('volume');
    expect(() => getProfile('nope')).toThrow(/unknown device profile "nope" \(known: air-station-aqms, /);
  });

  it('points every shipped profile at the generated JSON Schema for editors', () => {
    const files = readdirSync(BUILTIN_PROFILE_DIR).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(4);
    for (const file of files) {
      const ref = JSON.parse(readFileSync(join(BUILTIN_PROFILE_DIR, file), 'utf8')).$schema;
      expect(ref, file).toBe('../profile.schema.json');
      expect(existsSync(resolve(BUILTIN_PROFILE_DIR, ref)), file).toBe(true);
    }
  });

  it('loads a YAML profile (hex addresses, flow and block style)', () => {
    const file = join(dir, 'soil-probe.yaml');
    writeFileSync(file, YAML_PROFILE);
    const profile = loadProfileFile(file);
    expect(profile.transport).toEqual({ type: 'tcp', port: 5020, unitId: 1, timeoutMs: 1000 });
    expect(profile.registers.map((r) => [r.name, r.address, r.order, r.scale])).toEqual([
      ['moisture', 16, 'ABCD', 0.1],
      ['temperature', 17, 'CDAB', 1],
    ]);
  });

  it('names the file and says why for invalid JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "name": "broken", ');
    const err = loadError(file);
    expect(err.file).toBe(file);
    expect(err.issues).toEqual([{ field: '(file)', message: expect.stringMatching(/^not valid JSON: /) }]);
    expect(err.message).toContain(`${file}: invalid device profile`);
  });

  it('names the file and says why for invalid YAML', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'name: broken\nregisters: [\n  - { name: a\n');
    const err = loadError(file);
    expect(err.issues).toEqual([{ field: '(file)', message: expect.stringMatching(/^not valid YAML: /) }]);
  });

  it('names a missing file', () => {
    const file = join(dir, 'absent.json');
    const err = loadError(file);
    expect(err.file).toBe(file);
    expect(err.issues).toEqual([{ field: '(file)', message: 'file not found' }]);
  });

  it('loads a folder, and fails naming the one bad file in it', async () => {
    const folder = await tempDir('xaso-profile-dir');
    try {
      cpSync(BUILTIN_PROFILE_DIR, folder, { recursive: true });
      writeFileSync(join(folder, 'README.txt'), 'not a profile, ignored');
      expect([...loadProfileDir(folder).keys()]).toHaveLength(4);
      const bad = join(folder, 'pm-sensor-rs485.json');
      writeFileSync(bad, readFileSync(bad, 'utf8').replace('"unit": "µg/m³"', '"unit": "ug"'));
      let thrown: unknown;
      try {
        loadProfileDir(folder);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ProfileError);
      expect((thrown as ProfileError).file).toBe(bad);
      expect((thrown as ProfileError).message).toMatch(
        /pm-sensor-rs485\.json: invalid device profile\n {2}registers\[0\]\.unit: /,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses two files declaring the same profile name', async () => {
    const folder = await tempDir('xaso-profile-dup');
    try {
      cpSync(join(BUILTIN_PROFILE_DIR, 'pm-sensor-rs485.json'), join(folder, 'pm-sensor-rs485.json'));
      writeFileSync(
        join(folder, 'pm-sensor-rs485.yaml'),
        YAML_PROFILE.replace('soil-probe', 'pm-sensor-rs485'),
      );
      expect(() => loadProfileDir(folder)).toThrow(
        /pm-sensor-rs485\.yaml: invalid device profile\n {2}name: duplicate profile name/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
