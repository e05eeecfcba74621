import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_PROFILE_DIR } from '@xaso/device-profiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the technicians' CLI the way `npm run profiles --` does, as a real child process. */
function profiles(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'device-profiles/src/cli/profiles.ts', ...args],
      { cwd: REPO, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run profiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('xaso-profiles-cli');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('list shows the four shipped profiles with transport and channel count', async () => {
    const run = await profiles('list');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+MANUFACTURER \/ MODEL\s+TRANSPORT\s+CHANNELS$/);
    expect(lines).toHaveLength(6);
    expect(run.stdout).toMatch(
      /air-station-aqms\s+air-quality\s+Generic AQMS datalogger \/ AQMS-8.*rtu 9600 8N1\s+10\n/,
    );
    expect(run.stdout).toMatch(/pm-sensor-rs485\s+pm-sensor\s+.*rtu 4800 8N1\s+2\n/);
    expect(run.stdout).toMatch(/speaker-controller\s+speaker-controller\s+.*rtu 9600 8N1\s+6\n/);
    expect(run.stdout).toMatch(/water-multiprobe\s+water-quality\s+.*rtu 9600 8N1\s+9\n/);
  });

  it('show prints the profile and every register with decimal and hex address', async () => {
    const run = await profiles('show', 'air-station-aqms');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('transport: rtu 9600 8N1, unit id 1, timeout 1000 ms');
    expect(run.stdout).toMatch(
      /REGISTER\s+ADDRESS\s+FN\s+TYPE\s+WORDS\s+ORDER\s+SCALE\s+OFFSET\s+UNIT\s+RANGE\s+RW/,
    );
    expect(run.stdout).toMatch(
      /pm25\s+0 \(0x0000\)\s+4\s+float32\s+2\s+CDAB\s+1\s+0\s+µg\/m³\s+0\.\.1000\s+r\n/,
    );
    expect(run.stdout).toMatch(
      /analyser_status\s+30 \(0x001E\)\s+4\s+uint16\s+1\s+ABCD\s+1\s+0\s+state\s+-\s+r\n/,
    );
    const speaker = await profiles('show', 'speaker-controller');
    expect(speaker.stdout).toMatch(
      /volume\s+0 \(0x0000\)\s+3\s+uint16\s+1\s+ABCD\s+1\s+0\s+%\s+0\.\.100\s+rw\n/,
    );
    expect(speaker.stdout).toContain('speaker: amplifierRelay=amplifier_relay, volume=volume');
  });

  it('show --json prints the normalised profile', async () => {
    const run = await profiles('show', 'pm-sensor-rs485', '--json');
    expect(run.code).toBe(0);
    const profile = JSON.parse(run.stdout);
    expect(profile.name).toBe('pm-sensor-rs485');
    expect(profile.registers[0]).toEqual({
      name: 'pm25',
      function: 3,
      address: 0,
      type: 'uint16',
      order: 'ABCD',
      scale: 1,
      offset: 0,
      unit: 'µg/m³',
      range: [0, 1000],
      writable: false,
      stuckAfter: 60,
    });
  });

  it('check accepts a good file and exits 0', async () => {
    const run = await profiles('check', join(BUILTIN_PROFILE_DIR, 'water-multiprobe.json'));
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`OK ${join(BUILTIN_PROFILE_DIR, 'water-multiprobe.json')}`);
  });

  it('check reports every field error of a bad file, names the file and exits 1', async () => {
    const good = join(dir, 'pm-sensor-rs485.json');
    const bad = join(dir, 'my-probe.json');
    writeFileSync(good, readFileSync(join(BUILTIN_PROFILE_DIR, 'pm-sensor-rs485.json')));
    const profile = JSON.parse(readFileSync(good, 'utf8'));
    profile.name = 'my-probe';
    profile.registers[1].address = 0; // overlaps pm25
    profile.registers[2].type = 'bool'; // bool on function 3
    writeFileSync(bad, JSON.stringify(profile));
    const run = await profiles('check', good, bad);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`OK ${good}`);
    expect(run.stdout).toContain('1 of 2 profile(s) valid');
    expect(run.stderr).toContain(`FAIL ${bad}`);
    expect(run.stderr).toMatch(
      new RegExp(`${escapeRegExp(bad)}: registers\\[1\\]\\.address: "pm10" .* overlaps "pm25"`),
    );
    expect(run.stderr).toMatch(
      new RegExp(`${escapeRegExp(bad)}: registers\\[2\\]\\.type: bool needs function 1`),
    );
  });

  it('show of a bad file prints its errors and exits 1', async () => {
    const bad = join(dir, 'typo.json');
    writeFileSync(bad, '{"name": "typo",');
    const run = await profiles('show', bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}: invalid device profile`);
    expect(run.stderr).toContain('(file): not valid JSON');
  });

  it('exits 2 with a clear message for an unknown profile, command or option', async () => {
    const unknown = await profiles('show', 'no-such-profile');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown device profile "no-such-profile" (known: air-station-aqms, pm-sensor-rs485',
    );
    const command = await profiles('frobnicate');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "frobnicate"');
    const option = await profiles('list', '--verbose');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/Unknown option '--verbose'/);
    const nothing = await profiles('check');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('check needs at least one profile file');
  });

  it('--help describes every command', async () => {
    const run = await profiles('--help');
    expect(run.code).toBe(0);
    for (const command of ['list', 'show <name|file> [--json]', 'check <file>...'])
      expect(run.stdout).toContain(command);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
