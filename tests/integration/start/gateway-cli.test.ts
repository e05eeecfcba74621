import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './start-process.js';

/** The gateway section of the deploy guide: what an installer of a real device follows. */
function gatewaySection(): string {
  const guide = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
  const start = guide.indexOf('## 4. Gateways');
  return guide.slice(start, guide.indexOf('\n## 5.', start));
}

function gatewayCommand(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'gateway-firmware-ts/src/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run gateway', () => {
  it('--help lists every command and option the deploy guide uses for a real device', () => {
    const help = gatewayCommand(['--help']);
    expect(help.status, help.stderr).toBe(0);
    const section = gatewaySection();
    // Every `npm run gateway -- …` command of the guide (continuation lines joined).
    const commands = section
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .filter((line) => line.includes('npm run gateway --'));
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      for (const option of command.match(/--[a-z][a-z-]*/g) ?? [])
        expect(help.stdout, command).toContain(option);
    }
    expect(help.stdout).toContain('npm run gateway -- enroll --url');
    expect(help.stdout).toContain('npm run gateway -- --config <file>');
    expect(section).toContain('LOG_LEVEL');
    expect(help.stdout).toContain('LOG_LEVEL');
  });

  it('without --config says what is missing and shows the usage, exit code 2', () => {
    const run = gatewayCommand([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing --config');
    expect(run.stderr).toContain('npm run gateway -- enroll');
  });
});
