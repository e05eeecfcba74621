import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Registry } from '@xaso/broker';
import { createStore } from '@xaso/collector';
import type { Logger } from 'pino';
import { SqliteAreaDirectory } from '../areas/area-directory.js';
import { ConfigPush } from '../areas/config-push.js';
import { Placement } from '../areas/placement.js';
import { SqliteAuditLog } from '../audit/audit-log.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { requireRole } from '../auth/session-gate.js';
import { SessionStore } from '../auth/session-store.js';
import type { ConsoleConfig } from '../config/schema.js';
import { migrateConsole } from '../db/migrations.js';
import { CollectorState } from '../devices/collector-state.js';
import { DeviceDetailsTable } from '../devices/device-details.js';
import { FleetCatalogue } from '../devices/fleet-catalogue.js';
import { FleetOverview } from '../devices/fleet-overview.js';
import { PresenceBoard } from '../devices/presence-board.js';
import { FileSigner } from '../signer/file-signer.js';
import { MqttUplink } from '../uplink/mqtt-uplink.js';
import { UserStore } from '../users/user-store.js';
import type { AlarmLifecycle, AudioCatalog, ConsoleContext, TimeSeriesReader } from './env.js';

const MQTT_PASSWORD_FILE = 'console-mqtt-password';

/** Everything the core owns, beyond the context handed to modules. */
export interface ConsoleCore {
  ctx: ConsoleContext;
  config: ConsoleConfig;
  users: UserStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
  auditLog: SqliteAuditLog;
  areaDirectory: SqliteAreaDirectory;
  placement: Placement;
  details: DeviceDetailsTable;
  presence: PresenceBoard;
  overview: FleetOverview;
  collector: CollectorState;
  uplink: MqttUplink;
  /** Set only on the start that created the first administrator. */
  initialAdminPassword?: string;
  close(): Promise<void>;
}

/** The service password: configured, or issued once through the shared registry and kept in the data dir. */
function consoleServicePassword(registry: Registry, config: ConsoleConfig): string {
  if (config.mqtt.password) return registry.ensureService('console', config.mqtt.password).password;
  const file = join(config.dataDir, MQTT_PASSWORD_FILE);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return registry.ensureService('console', readFileSync(file, 'utf8').trim()).password;
  }
  const { password } = registry.ensureService('console');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/** Opens the shared DB, keys and MQTT link, and creates the first administrator on a fresh install. */
export async function openConsoleCore(
  config: ConsoleConfig,
  log: Logger,
  audio: AudioCatalog | ((ctx: Omit<ConsoleContext, 'audio'>) => Promise<AudioCatalog>),
  environment: { timeSeries?: TimeSeriesReader; alarmLifecycle?: AlarmLifecycle } = {},
): Promise<ConsoleCore> {
  mkdirSync(config.dataDir, { recursive: true });
  const registryPath = resolve(config.registryDb ?? join(config.dataDir, 'registry.sqlite'));
  const registry = Registry.open(registryPath, { logger: log.child({ part: 'registry' }) });
  const db = registry.db;
  migrateConsole(db);
  const { signer, created } = FileSigner.open(config.dataDir);
  if (registry.signingPublicKey() !== signer.publicKeyPem) registry.setSigningPublicKey(signer.publicKeyPem);
  if (created) log.info('new command-signing key created');

  const users = new UserStore(db, config.passwordHashCost);
  const sessions = new SessionStore(db, config.sessionTtlMs);
  sessions.prune();
  // Sessions nobody comes back to are deleted hourly rather than kept until someone presents them.
  const pruning = setInterval(() => sessions.prune(), 3_600_000);
  pruning.unref();
  const auditLog = new SqliteAuditLog(db);
  const areaDirectory = new SqliteAreaDirectory(db);
  if (config.areasFile) {
    const seeded = areaDirectory.seedFromFile(config.areasFile);
    if (seeded > 0) log.info({ areas: seeded, file: config.areasFile }, 'area tree seeded');
  }

  const password = consoleServicePassword(registry, config);
  const uplink = await MqttUplink.connect({
    url: config.mqtt.url,
    clientId: config.mqtt.clientId,
    username: '_console',
    password,
    log: log.child({ part: 'uplink' }),
  });
  const collector = new CollectorState(config.collectorStateDb, log.child({ part: 'collector-state' }));
  const presence = new PresenceBoard(log.child({ part: 'presence' }), collector);
  await presence.follow(uplink);
  const details = new DeviceDetailsTable(db);
  const overview = new FleetOverview({ catalogue: new FleetCatalogue(db), areas: areaDirectory, presence });

  // Only the console's own store is closed with it; one handed in belongs to its owner.
  const ownStore =
    environment.timeSeries || !config.timeSeries ? undefined : createStore(config.timeSeries, 1, log);
  const timeSeries = environment.timeSeries ?? ownStore;
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const base = {
    db,
    registry,
    log,
    dataDir: resolve(config.dataDir),
    publicUrl,
    audit: auditLog,
    signer,
    uplink,
    areas: areaDirectory,
    requireRole,
    fleet: { presence, details, overview },
    sessionOf: (token: string) => sessions.find(token),
    ...(timeSeries ? { timeSeries } : {}),
    ...(environment.alarmLifecycle ? { alarmLifecycle: environment.alarmLifecycle } : {}),
  };
  const ctx: ConsoleContext = { ...base, audio: typeof audio === 'function' ? await audio(base) : audio };
  const placement = new Placement(
    registry,
    areaDirectory,
    new ConfigPush(db, signer, uplink),
    auditLog,
    log.child({ part: 'placement' }),
  );

  let initialAdminPassword: string | undefined;
  if (users.count() === 0) {
    const made = await users.create({
      username: 'admin',
      displayName: 'Administrator',
      roles: ['admin'],
      areaIds: [],
    });
    initialAdminPassword = made.oneTimePassword;
    auditLog.record({ actor: 'system', action: 'user.create-initial-admin', target: made.user.id });
    log.warn(
      'first start: created user "admin" with a one-time password (printed once by the CLI); change it at first sign-in',
    );
  }

  return {
    ctx,
    config,
    users,
    sessions,
    throttle: new LoginThrottle(config.login),
    auditLog,
    areaDirectory,
    placement,
    details,
    presence,
    overview,
    collector,
    uplink,
    ...(initialAdminPassword ? { initialAdminPassword } : {}),
    async close() {
      clearInterval(pruning);
      await uplink.close().catch(() => undefined);
      collector.close();
      await ownStore?.close().catch(() => undefined);
      registry.close();
    },
  };
}
