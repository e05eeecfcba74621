import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePackage } from './packages.js';
import { type ServerHandle, manageServer, onFreshPorts, sleep, spawnReady, tcpOpen } from './process.js';

export interface MosquittoOptions {
  /** Appended to the generated mosquitto.conf; if it sets allow_anonymous, ours is left out. */
  extraConfig?: string;
  /** Keep sessions and retained messages across restart() (saved in the temp dir). */
  persistence?: boolean;
  /** Log at "information" level too, which is where Mosquitto notes each SIGHUP reload (see mosquittoReloads). */
  logReloads?: boolean;
}

/** Mosquitto 2.0 on loopback; url is mqtt://127.0.0.1:<port>. */
export async function startMosquitto(opts: MosquittoOptions = {}): Promise<ServerHandle> {
  const binary = await ensurePackage('mosquitto', '/usr/sbin/mosquitto');
  return onFreshPorts('xs-mosquitto-', 1, async (dir, ports) => {
    const [port = 0] = ports;
    const configFile = join(dir, 'mosquitto.conf');
    await writeFile(configFile, mosquittoConfig(dir, port, opts));
    return manageServer({ url: `mqtt://127.0.0.1:${port}`, port, dir }, () =>
      spawnReady({
        name: 'mosquitto',
        command: binary,
        args: ['-c', configFile],
        cwd: dir,
        logFile: join(dir, 'mosquitto.log'),
        ready: () => tcpOpen(port),
        readyWhat: `TCP connect to 127.0.0.1:${port}`,
        listens: port,
      }),
    );
  });
}

function mosquittoConfig(dir: string, port: number, opts: MosquittoOptions): string {
  const extra = opts.extraConfig ?? '';
  // per_listener_settings only takes effect before the first listener, so it is hoisted.
  const hoisted = extra.split('\n').filter((l) => /^\s*per_listener_settings\b/.test(l));
  const lines = [
    ...hoisted,
    // Started as root, mosquitto would switch to user 'mosquitto', who cannot read a root-owned temp dir.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `listener ${port} 127.0.0.1`,
    ...(/^\s*allow_anonymous\b/m.test(extra) ? [] : ['allow_anonymous true']),
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    ...(opts.logReloads === true ? ['log_type information'] : []),
    'log_timestamp_format %Y-%m-%dT%H:%M:%S',
    ...(opts.persistence === true
      ? ['persistence true', `persistence_location ${dir}/`]
      : ['persistence false']),
    extra
      .split('\n')
      .filter((l) => !hoisted.includes(l))
      .join('\n'),
  ];
  return `${lines.join('\n')}\n`;
}

const RELOAD_LINE = 'Reloading config.';

/** How many SIGHUP reloads the server has logged so far (started with `logReloads: true`). */
export async function mosquittoReloads(server: ServerHandle): Promise<number> {
  const log = await readFile(join(server.dir, 'mosquitto.log'), 'utf8');
  return log.split(RELOAD_LINE).length - 1;
}

/**
 * Resolves once more than `after` reloads are logged. Mosquitto logs the line in the same loop turn that
 * re-reads its files, so anything sent afterwards meets the new configuration.
 */
export async function waitForMosquittoReload(
  server: ServerHandle,
  after: number,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await mosquittoReloads(server)) <= after) {
    if (Date.now() > deadline)
      throw new Error(`Mosquitto (pid ${server.pid}) did not log a reload in ${timeoutMs} ms`);
    await sleep(20);
  }
}
