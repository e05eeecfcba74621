import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';

const ROOT = join(import.meta.dirname, '../../..');

async function gateway(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'gateway-firmware-ts/src/cli.ts', ...args],
      { cwd: ROOT },
    );
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('npm run gateway: start-up errors', () => {
  it('refuses a config with a bad field, naming the file and the field, exit code 2', async () => {
    const file = join(await tempDir('xs-gw-cli-'), 'gateway.json');
    await writeFile(file, JSON.stringify({ deviceId: 'GW 1', mqtt: { url: 'http://x' }, dataDir: '/tmp/x' }));
    const { code, stderr } = await gateway(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/deviceId: /);
    expect(stderr).toMatch(/mqtt\.url: must be an mqtt/);
  });

  it('says so when the config file is missing or --config is not given', async () => {
    expect(await gateway(['--config', '/nonexistent/gateway.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/file not found/),
    });
    expect(await gateway([])).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing --config/) });
  });
});
