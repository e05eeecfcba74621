import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from '@xaso/broker';
import { pino } from 'pino';
import { CONFIG_FILE, MosquittoCredentials, MosquittoSync } from '../../../broker/src/external/index.js';
import type { IssuedCredentials } from '../../../broker/src/external/index.js';
import type { DeviceRole, ServiceRole } from '../../../broker/src/policy/principal.js';
import {
  type ServerHandle,
  mosquittoReloads,
  startMosquitto,
  tempDir,
  waitForMosquittoReload,
} from '../../harness/index.js';

/** Mosquitto 2 secured as a site would run it: no anonymous access, passwords and ACLs from our registry. */
export interface SecuredMosquitto {
  url: string;
  server: ServerHandle;
  registry: Registry;
  credentials: MosquittoCredentials;
  /** Where passwd, acl and xaso.conf are written. */
  filesDir: string;
  /** Creates the device when missing, issues it a password and waits until Mosquitto has reloaded. */
  device(id: string, role: DeviceRole, groups?: string[]): Promise<IssuedCredentials>;
  service(role: ServiceRole): Promise<IssuedCredentials>;
  /** Rewrites the files, SIGHUPs Mosquitto and waits for the reload (after registry changes). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `registry` is owned by the caller (it may be the console's); the files live in a temp dir. With
 * `follow`, registry changes (disable, rotate, groups) reload Mosquitto on their own, as `--watch` does.
 */
export async function startSecuredMosquitto(
  registry: Registry,
  options: { follow?: boolean } = {},
): Promise<SecuredMosquitto> {
  const dir = await tempDir('xs-mosq-files-');
  const credentials = MosquittoCredentials.open(registry);
  // The files must exist before Mosquitto starts, so the sync is built before the server it signals.
  const started: { server?: ServerHandle } = {};
  const sync = new MosquittoSync({
    registry,
    credentials,
    dir,
    pid: () => started.server?.pid ?? null,
    pollMs: 100,
    logger: pino({ level: process.env.XS_TEST_LOG ?? 'silent' }),
  });
  await sync.sync('initial files');
  // The generated snippet itself: allow_anonymous false, password_file, acl_file.
  const extraConfig = await readFile(join(dir, CONFIG_FILE), 'utf8');
  const running = await startMosquitto({ logReloads: true, extraConfig });
  started.server = running;
  if (options.follow === true) sync.start();

  // A follower's reload may be logged meanwhile, so counting alone could end the wait on an older file:
  // one more SIGHUP after our write and count makes the reload we wait for read our files.
  const reload = async () => {
    await sync.sync('test');
    const after = await mosquittoReloads(running);
    process.kill(running.pid, 'SIGHUP');
    await waitForMosquittoReload(running, after);
  };
  return {
    url: running.url,
    server: running,
    registry,
    credentials,
    filesDir: dir,
    async device(id, role, groups = []) {
      if (registry.getDevice(id) === undefined) registry.createDevice({ id, role, groups });
      const issued = credentials.issueDevice(id);
      await reload();
      return issued;
    },
    async service(role) {
      const issued = credentials.issueService(role);
      await reload();
      return issued;
    },
    reload,
    async stop() {
      await sync.stop();
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
