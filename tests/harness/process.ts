import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { listenerOf } from './listener.js';
import { freePort, tempDir } from './ports.js';

export const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/** What every server starter returns. */
export interface ServerHandle {
  url: string;
  port: number;
  dir: string;
  /** Of the current child: changes after restart(). */
  readonly pid: number;
  /** SIGTERM (SIGKILL after 10 s), then remove the temp dir. */
  stop(): Promise<void>;
  /** SIGKILL, keeping the temp dir for restart(). */
  kill(): Promise<void>;
  /** Start again on the same port and data dir (after kill() or while running). */
  restart(): Promise<void>;
}

export interface ChildSpec {
  /** For error messages. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** stdout and stderr are appended here, so the log survives restarts. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Polled until true; exceptions count as "not yet". */
  ready: () => Promise<boolean>;
  /** What we are waiting for, for the timeout message. */
  readyWhat: string;
  /** The TCP port the child listens on: ready also needs the listener there to be the child's own. */
  listens?: number;
  timeoutMs?: number;
}

// Every child still running; killed when this (test worker) process exits.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

// setpriv --pdeathsig also kills the child when the worker itself dies by a signal, where 'exit' never fires.
const SETPRIV = existsSync('/usr/bin/setpriv') ? '/usr/bin/setpriv' : null;

/** Spawns with output to the log file and waits until ready(); rejects with the log tail if it dies first. */
export async function spawnReady(spec: ChildSpec): Promise<ChildProcess> {
  installExitHook();
  const fd = openSync(spec.logFile, 'a');
  writeSync(fd, `--- ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
  const [command, args] =
    SETPRIV === null
      ? [spec.command, spec.args]
      : [SETPRIV, ['--pdeathsig', 'KILL', '--', spec.command, ...spec.args]];
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  live.add(child);
  const exited = exitOf(child);
  void exited.then(() => live.delete(child));

  const timeoutMs = spec.timeoutMs ?? READY_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const state: { exit: string | null } = { exit: null };
  void exited.then((how) => {
    state.exit = how;
  });
  while (Date.now() < deadline) {
    if (state.exit !== null) {
      throw new Error(
        `${spec.name} exited (${state.exit}) before it was ready; log ${spec.logFile}:\n${logTail(spec.logFile)}`,
      );
    }
    if ((await spec.ready().catch(() => false)) && ownsPort(spec, child)) return child;
    await sleep(50);
  }
  await killChild(child, 'SIGKILL');
  throw new Error(
    `${spec.name} not ready after ${timeoutMs / 1000} s (${spec.readyWhat}); log ${spec.logFile}:\n${logTail(spec.logFile)}`,
  );
}

// Another process listening on the port would answer ready() for a child that failed to bind it.
function ownsPort(spec: ChildSpec, child: ChildProcess): boolean {
  if (spec.listens === undefined || child.pid === undefined) return true;
  const owner = listenerOf(spec.listens, child.pid);
  return owner === 'child' || owner === 'unknown';
}

/** Resolves with "code N" / "signal S" once the child has exited (immediately if it already has). */
export function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null) return Promise.resolve(`code ${child.exitCode}`);
  if (child.signalCode !== null) return Promise.resolve(`signal ${child.signalCode}`);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal !== null ? `signal ${signal}` : `code ${code}`));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
}

/** Sends the signal and waits for the exit; SIGTERM escalates to SIGKILL after a grace period. */
export async function killChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  child.kill(signal);
  if (signal === 'SIGKILL') {
    await exited;
    return;
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 40): string {
  try {
    const text = readFileSync(file, 'utf8');
    return (
      text
        .split('\n')
        .slice(-lines - 1)
        .join('\n')
        .trimEnd() || '(empty log)'
    );
  } catch (err) {
    return `(no log: ${(err as Error).message})`;
  }
}

/**
 * Builds the standard handle around a child that start() spawns; start() is called again by restart().
 * The port stays the same across restarts, so clients reconnect to the same URL.
 */
export async function manageServer(
  info: { url: string; port: number; dir: string },
  start: () => Promise<ChildProcess>,
): Promise<ServerHandle> {
  let child = await start();
  return {
    ...info,
    get pid(): number {
      return child.pid ?? -1;
    },
    async stop() {
      await killChild(child, 'SIGTERM');
      await rm(info.dir, { recursive: true, force: true });
    },
    async kill() {
      await killChild(child, 'SIGKILL');
    },
    async restart() {
      await killChild(child, 'SIGTERM');
      child = await start();
    },
  };
}

/**
 * Runs start(dir, ports) with a fresh temp dir and free ports, retrying with new ones when another
 * process grabbed a port between freePort() and the server's bind.
 */
export async function onFreshPorts<T>(
  prefix: string,
  portCount: number,
  start: (dir: string, ports: number[]) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const dir = await tempDir(prefix);
    const ports: number[] = [];
    while (ports.length < portCount) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    try {
      return await start(dir, ports);
    } catch (err) {
      // A real failure keeps the dir so the whole log named in the message can be read.
      if (attempt >= 3 || !/address already in use/i.test((err as Error).message)) throw err;
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** True once something accepts TCP connections on the port. */
export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** GET with a short timeout; true when the status matches. */
export async function httpStatusIs(url: string, status: number): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.status === status;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
