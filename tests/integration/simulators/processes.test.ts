import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeRegister, getProfile, registerByName } from '@xaso/device-profiles';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/index.js';
import { ModbusRTU } from './modbus-client.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Waits for output; gives up early when npm has exited unless `evenAfterExit` (its children may still write). */
  waitFor: (pattern: RegExp, timeoutMs?: number, evenAfterExit?: boolean) => Promise<RegExpMatchArray>;
  /** SIGINT to the program npm runs, or with `group` to the whole process group as Ctrl-C does. */
  interrupt: (
    target: 'program' | 'group',
  ) => Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const started: ChildProcess[] = [];

function run(args: string[]): Running {
  const child = spawn('npm', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  started.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    output: () => out,
    async waitFor(pattern, timeoutMs = 20_000, evenAfterExit = false) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = out.match(pattern);
        if (match) return match;
        if (child.exitCode !== null && !evenAfterExit) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no ${pattern} in output:\n${out}`);
    },
    async interrupt(target) {
      const t0 = Date.now();
      if (target === 'group') process.kill(-(child.pid ?? 0), 'SIGINT');
      else process.kill(launcherPid(child.pid ?? 0), 'SIGINT');
      const [code, signal] = await exited;
      return { code, signal, ms: Date.now() - t0 };
    },
  };
}

/** The program among npm's descendants (`node --import tsx …`, or a tsx launcher), found through /proc. */
function launcherPid(root: number): number {
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() ?? 0;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const viaImport = cmdline.some((arg, i) => arg === 'tsx' && cmdline[i - 1] === '--import');
    if (viaImport || cmdline.some((arg) => arg.endsWith('.bin/tsx'))) return pid;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (children) queue.push(...children.split(/\s+/).map(Number));
  }
  throw new Error(`no program process under ${root}`);
}

async function readFloat(port: number, unitId: number, profileName: string, register: string) {
  const profile = getProfile(profileName);
  const reg = registerByName(profile, register);
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unitId);
  client.setTimeout(1000);
  try {
    const words =
      reg.function === 3
        ? await client.readHoldingRegisters(reg.address, 2)
        : await client.readInputRegisters(reg.address, 2);
    return decodeRegister(reg, reg.type === 'uint16' ? words.data.slice(0, 1) : words.data);
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

afterEach(() => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid ?? 0), 'SIGKILL');
  }
});

describe('simulator processes', () => {
  // npm start (tests/integration/start) is tested on its own data dir and ports; here only `npm run sim`.
  it('npm run sim serves a profile on the given port and stops on SIGINT with exit 0', async () => {
    const port = await freePort();
    const sim = run(['run', '--silent', 'sim', '--', '--profile', 'pm-sensor-rs485', '--port', String(port)]);
    const [, printedPort] = await sim.waitFor(/pm-sensor-rs485 unit 1 on modbus-tcp:\/\/127\.0\.0\.1:(\d+)/);
    expect(Number(printedPort)).toBe(port);
    const pm25 = await readFloat(port, 1, 'pm-sensor-rs485', 'pm25');
    expect(pm25.quality).toBe('good');
    expect(pm25.value).toBeGreaterThan(0);
    // Faults can be changed while it runs, through commands on stdin.
    sim.child.stdin?.write('faults exception:6\n');
    await sim.waitFor(/faults now exception:6:1/);
    await expect(readFloat(port, 1, 'pm-sensor-rs485', 'pm25')).rejects.toMatchObject({ modbusCode: 6 });
    sim.child.stdin?.write('faults\nset pm25 777\n');
    await sim.waitFor(/pm25 forced to 777/);
    expect((await readFloat(port, 1, 'pm-sensor-rs485', 'pm25')).value).toBe(777);
    const { code, ms } = await sim.interrupt('program');
    expect(code, sim.output()).toBe(0);
    expect(ms).toBeLessThan(5000);
  });

  it('npm run sim refuses an unknown profile and bad flags with exit 2', async () => {
    const unknown = run(['run', '--silent', 'sim', '--', '--profile', 'no-such-device', '--port', '0']);
    const [code] = (await once(unknown.child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(unknown.output()).toMatch(/unknown device profile "no-such-device"/);
    const bad = run([
      'run',
      '--silent',
      'sim',
      '--',
      '--profile',
      'pm-sensor-rs485',
      '--port',
      '0',
      '--faults',
      'timeout:7',
    ]);
    const [badCode] = (await once(bad.child, 'exit')) as [number | null];
    expect(badCode).toBe(2);
    expect(bad.output()).toMatch(/probability "7"/);
  });
});
