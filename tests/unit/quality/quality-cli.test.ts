import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';

const ROOT = join(import.meta.dirname, '../../..');
let dir: string;

function runCli(
  name: 'aqi' | 'wqi',
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, `collector/src/cli/${name}.ts`), ...args],
      {
        cwd: ROOT,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function fixture(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  dir = await tempDir('quality-cli');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Three hours on 5 Jan 2024 (local). Hour 00:00 has one PM2.5 hour of the last 3 → no NowCast → no AQI.
// Hour 01:00: c1 = 30, c2 = 20 → w* = 2/3 → NowCast = (30 + ⅔·20)/(1 + ⅔) = 26 → 50 + 2 × 1 = 52; NO2 60 → 30.
// Hour 02:00: c1 missing, c2 = 30, c3 = 20 → (⅔·30 + 4/9·20)/(⅔ + 4/9) = 26 → 52; O3 120 → 50/160 × 120 = 37.5 → 38.
const HOURLY = [
  'time,pm25,o3,no2',
  '2024-01-05T01:00:00+07:00,30,,60',
  '2024-01-05T00:00:00+07:00,20,100,50', // unsorted on purpose: the CLI sorts by time
  '2024-01-05T02:00:00+07:00,,120,',
  '',
].join('\n');

describe('npm run aqi', () => {
  it('prints hours then days as CSV', async () => {
    const r = await runCli('aqi', ['--file', await fixture('hourly.csv', HOURLY)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('kind,time,date,aqi,dominant,pm25,pm10,o3,no2,so2,co,reason');
    expect(lines[1]).toMatch(
      /^hour,2024-01-05T00:00:00\+07:00,2024-01-05,,,,,31,25,,,"VN_AQI needs a PM2.5 or PM10/,
    );
    expect(lines[2]).toBe('hour,2024-01-05T01:00:00+07:00,2024-01-05,52,pm25,52,,,30,,,');
    expect(lines[3]).toBe('hour,2024-01-05T02:00:00+07:00,2024-01-05,52,pm25,52,,38,,,,');
    expect(lines[4]).toMatch(/^day,,2024-01-05,,,,,,,,,".*pm25: 2 of 24 hours present, need 18/);
    expect(lines).toHaveLength(5);
  });

  it('prints JSON lines in the issue shape with --json', async () => {
    const r = await runCli('aqi', ['--file', await fixture('hourly2.csv', HOURLY), '--json']);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[1]).toEqual({
      kind: 'hour',
      time: '2024-01-05T01:00:00+07:00',
      aqi: 52,
      dominant: 'pm25',
      sub: { pm25: 52, pm10: null, o3: null, no2: 30, so2: null, co: null },
    });
    expect(Object.keys(rows[0])).toEqual(['kind', 'time', 'aqi', 'dominant', 'sub', 'reason']);
    expect(rows[0].reason).toMatch(/too few hours in the last 3 for NowCast \(1 of 3, need 2\)/);
    expect(rows[3]).toMatchObject({ kind: 'day', date: '2024-01-05', aqi: null, dominant: null });
    expect(Object.keys(rows[3])).toEqual(['kind', 'date', 'aqi', 'dominant', 'sub', 'reason']);
  });

  it.each([
    ['unknown column', 'time,pm25,pm1\n', /line 1: unknown column "pm1"/],
    ['bad time', 'time,pm25\n2024-01-05 01:00,10\n', /line 2: bad time "2024-01-05 01:00"/],
    ['time without offset', 'time,pm25\n2024-01-05T01:00:00,10\n', /line 2: bad time/],
    [
      'non-numeric cell',
      'time,pm25\n2024-01-05T01:00:00+07:00,ten\n',
      /line 2: column pm25: "ten" is not a number/,
    ],
    [
      'duplicate hour',
      'time,pm25\n2024-01-05T01:00:00+07:00,1\n2024-01-04T18:00:00Z,2\n',
      /line 3: time .* repeats line 2/,
    ],
    ['not an hour start', 'time,pm25\n2024-01-05T01:30:00+07:00,1\n', /line 2: .* not the start of an hour/],
    [
      'negative value',
      'time,pm25\n2024-01-05T01:00:00+07:00,-4\n',
      /line 2: column pm25: negative concentration/,
    ],
    ['short row', 'time,pm25,o3\n2024-01-05T01:00:00+07:00,4\n', /line 2: 2 fields, header has 3/],
  ])('fails with exit 1 on %s', async (_label, text, message) => {
    const r = await runCli('aqi', ['--file', await fixture('bad.csv', text)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('fails with exit 2 without --file', async () => {
    const r = await runCli('aqi', []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--file is required/);
  });
});

describe('npm run wqi', () => {
  // Row 1: the lab sample of vn-wqi.test.ts → 82. Row 2: the water probe alone → null, missing groups named.
  const SAMPLES = [
    'time,ph,temperature,do,bod5,cod,nh4,po4,coliform,ecoli,turbidity',
    '2024-06-01T09:30:00+07:00,7.0,25,7.0,5,12,0.45,0.15,6000,30,',
    '2024-06-01T10:00:00+07:00,7.2,28,6.5,,12,0.2,,,,15',
  ].join('\n');

  it('prints CSV and JSON lines', async () => {
    const file = await fixture('samples.csv', SAMPLES);
    const csv = await runCli('wqi', ['--file', file]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('time,wqi,category,I,II,III,IV,V,do_saturation_percent,reason');
    // Groups I, IV and V give a value (Decision 1460 allows it); the line says which groups it lacks.
    expect(lines[1]).toMatch(
      /^2024-06-01T09:30:00\+07:00,82,Tốt,100,,,84.58,78.33,85.62,"computed without groups II \(pesticides.*; III \(heavy metals.*: not measured"$/,
    );
    expect(lines[2]).toMatch(
      /^2024-06-01T10:00:00\+07:00,,,100,,,[\d.]+,,[\d.]+,"needs at least 3 of the 5 parameter groups/,
    );
    expect(lines[2]).toMatch(/turbidity: not a VN_WQI parameter; ignored"$/);

    const json = await runCli('wqi', ['--file', file, '--json']);
    const rows = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({
      kind: 'sample',
      wqi: 82,
      category: 'Tốt',
      groups: { I: 100, IV: 84.58, V: 78.33 },
    });
    expect(rows[1]).toMatchObject({ wqi: null, category: null });
    expect(rows[1].reason).toMatch(/missing II \(pesticides/);
  });

  it('rejects impossible values with the line number', async () => {
    const r = await runCli('wqi', [
      '--file',
      await fixture('bad-wqi.csv', 'time,ph\n2024-06-01T09:30:00+07:00,15\n'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: column ph:/);
  });
});
