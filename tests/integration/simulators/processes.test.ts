import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRegister, getProfile, registerByName } from '@xaso/device-profiles';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensurePackage, freePort } from '../../harness/index.js';
import { ModbusRTU } from './modbus-client.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Waits for output; gives up early when npm has exited unless `evenAfterExit` (its children may still write). */
  waitFor: (pattern: RegExp, timeoutMs?: number, evenAfterExit?: boolean) => Promise<RegExpMatchArray>;
  /** SIGINT to the program npm runs (the tsx launcher, which relays it), or with `group` to the whole process group as Ctrl-C does. */
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

/** The tsx launcher among npm's descendants (npm → sh → tsx → node), found through /proc. */
function launcherPid(root: number): number {
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() ?? 0;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (cmdline.some((arg) => arg.endsWith('.bin/tsx'))) return pid;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (children) queue.push(...children.split(/\s+/).map(Number));
  }
  throw new Error(`no tsx process under ${root}`);
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
  // npm start serves one station over RTU on a socat pty pair; make sure socat is there, as on a fresh machine.
  beforeAll(async () => {
    await ensurePackage('socat', '/usr/bin/socat');
  });

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

  it('npm start prints what listens where, serves stations, and exits 0 on SIGINT', async () => {
    const stack = run(['start', '--silent']);
    await stack.waitFor(/Ready\. Press Ctrl-C to stop\./);
    const output = stack.output();
    expect(output).toMatch(/SERVICE\s+WHAT\s+WHERE/);
    expect(output).toMatch(/air-station-2\s+air-station-aqms unit 1\s+modbus-tcp:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/pm-sensor-rtu\s+pm-sensor-rs485 unit 1\s+modbus-rtu:\S+/);
    const [, port] =
      output.match(/air-station-1\s+air-station-aqms unit 1\s+modbus-tcp:\/\/127\.0\.0\.1:(\d+)/) ?? [];
    const pm25 = await readFloat(Number(port), 1, 'air-station-aqms', 'pm25');
    expect(pm25.quality).toBe('good');
    const water = output.match(
      /water-station-1\s+water-multiprobe unit 2\s+modbus-tcp:\/\/127\.0\.0\.1:(\d+)/,
    )?.[1];
    const ph = await readFloat(Number(water), 2, 'water-multiprobe', 'ph');
    expect(ph.value).toBeGreaterThan(6);
    const ptyDir = dirname(output.match(/modbus-rtu:(\S+)/)?.[1] ?? '/nonexistent/x');
    expect(existsSync(ptyDir)).toBe(true);
    const { code, ms } = await stack.interrupt('program');
    expect(code, stack.output()).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(stack.output()).toMatch(/SIGINT: stopping \d+ service\(s\)…\s+stopped\./);
    expect(existsSync(ptyDir), 'socat pty pair removed').toBe(false);
  });

  it('npm start stops every service on Ctrl-C in a terminal (SIGINT to the whole process group)', async () => {
    const stack = run(['start', '--silent']);
    await stack.waitFor(/Ready\. Press Ctrl-C to stop\./);
    const launcher = launcherPid(stack.child.pid ?? 0);
    const { ms } = await stack.interrupt('group');
    await stack.waitFor(/stopped\./, 5000, true);
    expect(ms).toBeLessThan(5000);
    const deadline = Date.now() + 5000;
    while (existsSync(`/proc/${launcher}`) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(`/proc/${launcher}`), 'the stack process has exited').toBe(false);
  });
});
