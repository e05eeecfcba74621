import { spawn } from 'node:child_process';
import { constants, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';

// One lock for every vitest worker process: apt's own lock would make a concurrent install fail, not wait.
const LOCK_FILE = join(tmpdir(), 'xaso-harness-apt.lock');
// apt-get update is slow and needs the mirror: run it at most once an hour on this machine.
const UPDATED_MARK = join(tmpdir(), 'xaso-harness-apt-updated');
// Chromium pulls in ~100 MB of packages.
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const APT_OPTS = ['-o', 'DPkg::Lock::Timeout=600', '-o', 'Dpkg::Use-Pty=0', '-q'];

const inFlight = new Map<string, Promise<string>>();

/**
 * Resolves the binary, installing its Debian package with apt-get when it is missing and we are root.
 * Rejects with a one-line message naming the package otherwise: tests must fail loudly, never skip.
 */
export function ensurePackage(pkg: string, binaryPath: string): Promise<string> {
  const key = `${pkg}\u0000${binaryPath}`;
  let pending = inFlight.get(key);
  if (pending === undefined) {
    pending = ensure(pkg, binaryPath);
    inFlight.set(key, pending);
    // A failure is not cached, so a later call (after a manual install) tries again.
    pending.catch(() => inFlight.delete(key));
  }
  return pending;
}

async function ensure(pkg: string, binaryPath: string): Promise<string> {
  const found = await findBinary(binaryPath);
  if (found !== null) return found;
  const name = basename(binaryPath);
  const hint = `${name} not found: install Debian package '${pkg}' (apt-get install ${pkg})`;
  if (process.getuid?.() !== 0)
    throw new Error(`${hint}; not running as root, so the harness cannot install it`);
  if ((await findBinary('/usr/bin/flock')) === null)
    throw new Error(`${hint}; flock (util-linux) is missing too`);

  process.stderr.write(`[harness] installing Debian package '${pkg}' for ${name}...\n`);
  let result = await aptInstall(pkg);
  if (result.code !== 0 && /Unable to locate package|has no installation candidate/.test(result.output)) {
    const update = await aptUpdateOnce();
    if (update.code !== 0) throw new Error(`${hint}; apt-get update failed: ${aptError(update.output)}`);
    result = await aptInstall(pkg);
  }
  if (result.code !== 0) throw new Error(`${hint}; apt-get install failed: ${aptError(result.output)}`);
  const installed = await findBinary(binaryPath);
  if (installed === null)
    throw new Error(`${hint}; package '${pkg}' installed but provides no ${binaryPath}`);
  return installed;
}

function aptInstall(pkg: string): Promise<RunResult> {
  return run(
    'flock',
    [LOCK_FILE, 'apt-get', 'install', '-y', '--no-install-recommends', ...APT_OPTS, pkg],
    INSTALL_TIMEOUT_MS,
  );
}

function aptUpdateOnce(): Promise<RunResult> {
  // Checked under the lock, so two workers that both miss a package do not both update.
  const script = `if [ -z "$(find "$1" -mmin -60 2>/dev/null)" ]; then apt-get update ${APT_OPTS.join(' ')} && touch "$1"; fi`;
  return run('flock', [LOCK_FILE, 'sh', '-c', script, 'sh', UPDATED_MARK], INSTALL_TIMEOUT_MS);
}

/** The first "E:" line apt printed, squeezed onto one line. */
function aptError(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  const line = lines.find((l) => l.startsWith('E:')) ?? lines.filter((l) => l !== '').at(-1) ?? 'no output';
  return line.slice(0, 300);
}

/**
 * Debian's python3 with pymodbus (for Modbus simulators). Not "python3" from PATH: that may be a pyenv
 * shim without the Debian module. Resolves to /usr/bin/python3.
 */
export async function pythonWithPymodbus(): Promise<string> {
  const python = await ensurePackage('python3', '/usr/bin/python3');
  await ensurePackage('python3-pymodbus', '/usr/lib/python3/dist-packages/pymodbus/__init__.py');
  return python;
}

/**
 * The path itself when it contains '/' (any file, so a package's data file works too), else the
 * executable of that name in PATH.
 */
export async function findBinary(binaryPath: string): Promise<string | null> {
  const absolute = binaryPath.includes('/');
  const candidates = absolute
    ? [binaryPath]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/bin']
        .filter((d) => d !== '')
        .map((d) => join(d, binaryPath));
  for (const candidate of candidates) {
    try {
      await access(candidate, absolute ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  return null;
}

interface RunResult {
  code: number;
  output: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: APT_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    // Keep only the tail: apt's progress output for chromium is long and only the end matters.
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      output += `\nE: timed out after ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `E: ${command}: ${err.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
