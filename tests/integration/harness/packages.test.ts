import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensurePackage, pythonWithPymodbus } from '../../harness/index.js';

const execFileAsync = promisify(execFile);

describe('ensurePackage', () => {
  it('returns the path of a binary that is already there, looking bare names up in PATH', async () => {
    expect(await ensurePackage('coreutils', '/usr/bin/env')).toBe('/usr/bin/env');
    expect(await ensurePackage('dash', 'sh')).toMatch(/\/sh$/);
  });

  it('finds Debian python3 with pymodbus importable', async () => {
    const python = await pythonWithPymodbus();
    expect(python).toBe('/usr/bin/python3');
    const { stdout } = await execFileAsync(python, ['-c', 'import pymodbus; print(pymodbus.__version__)']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+/);
  });

  // apt-get install fails, apt-get update runs (at most once an hour per machine), the retry fails.
  it('rejects with one clear line for a package apt does not know', async () => {
    const started = Date.now();
    const error: unknown = await ensurePackage(
      'xaso-no-such-package-zz',
      '/usr/bin/xaso-no-such-binary',
    ).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^xaso-no-such-binary not found: install Debian package 'xaso-no-such-package-zz' \(apt-get install xaso-no-such-package-zz\)/,
    );
    expect(message).toContain('Unable to locate package');
    expect(message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(240_000);
  }, 300_000);

  it('does not try to install when not root, and says so in one line', async () => {
    const expected =
      "xaso-no-such-binary not found: install Debian package 'xaso-no-such-package-zz' (apt-get install xaso-no-such-package-zz); not running as root, so the harness cannot install it";
    if (process.getuid?.() !== 0) {
      await expect(ensurePackage('xaso-no-such-package-zz', '/usr/bin/xaso-no-such-binary')).rejects.toThrow(
        expected,
      );
      return;
    }
    // As root, a child running as user nobody calls the same ensurePackage and prints the rejection.
    const script =
      "import('./tests/harness/packages.ts').then((m) => m.ensurePackage('xaso-no-such-package-zz', '/usr/bin/xaso-no-such-binary')).then(() => console.log('resolved'), (e) => console.log(e.message));";
    const { stdout } = await execFileAsync(
      '/usr/bin/setpriv',
      [
        '--reuid=nobody',
        '--regid=nogroup',
        '--clear-groups',
        '--',
        process.execPath,
        '--import',
        'tsx',
        '-e',
        script,
      ],
      { cwd: process.cwd(), env: { ...process.env, HOME: '/tmp' }, timeout: 30_000 },
    );
    expect(stdout.trim()).toBe(expected);
  }, 60_000);
});
