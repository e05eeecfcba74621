import type { Registry, SqliteDatabase } from '@xaso/broker';
import type { TimeSeriesStore } from '@xaso/collector';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { DeviceDetailsTable } from '../devices/device-details.js';
import type { FleetOverview } from '../devices/fleet-overview.js';
import type { PresenceBoard } from '../devices/presence-board.js';

/**
 * What every console module is handed. Modules export `xRoutes(ctx: ConsoleContext)` returning an
 * OpenAPIHono<AppEnv> that app.ts mounts under /api; they never open their own databases or clients.
 */

export const USER_ROLES = ['admin', 'operator', 'approver', 'environment', 'technician'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The signed-in user, set on the request by the session middleware. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: UserRole[];
  /** Areas the user acts in (and everything under them); admins act everywhere. */
  areaIds: string[];
}

export type AppEnv = { Variables: { user: SessionUser; requestId: string } };

/** Who did what, append-only; every state-changing action writes one entry. */
export interface AuditLog {
  record(entry: { actor: string; action: string; target?: string; detail?: unknown }): void;
}

/** The console's Ed25519 command-signing key; gateways got the public half at enrollment. */
export interface Signer {
  readonly publicKeyPem: string;
  /**
   * Completes a message with id, issuedAt, expiresAt, issuer and sig (over the canonical JSON of the rest).
   * Callers then parse it with the contract's schema before publishing.
   */
  sign<T extends Record<string, unknown>>(
    unsigned: T,
    issuer: string,
    ttlMs: number,
  ): T & { id: string; issuedAt: number; expiresAt: number; issuer: string; sig: string };
}

/** The console's MQTT connection (service principal `_console`). */
export interface Uplink {
  publish(topic: string, payload: string, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
  /** Handler runs for every message matching the filter; subscriptions survive reconnects. */
  subscribe(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void>;
}

/** The administrative tree (province → commune → village); ids are contract group ids. */
export interface Area {
  id: string;
  parentId: string | null;
  name: string;
  kind: 'province' | 'commune' | 'village' | 'other';
  lat?: number;
  lon?: number;
  /** Whether operators' broadcasts here wait for an approver. */
  requiresApproval: boolean;
}

export interface AreaDirectory {
  get(id: string): Area | undefined;
  list(): Area[];
  /** The area and everything under it. */
  subtree(id: string): Area[];
  /** The area and its ancestors, root last. */
  ancestry(id: string): Area[];
  /** Loudspeaker clusters placed in the area or below it. */
  clustersIn(id: string): string[];
  /** Whether the user may act in this area. */
  userMayAct(user: SessionUser, areaId: string): boolean;
}

/** An item of the audio library as broadcasts reference it. */
export interface AudioItem {
  /** SHA-256 of the content, lower-case hex (the contract's audioId). */
  id: string;
  title: string;
  language: string;
  durationMs: number;
  /** Download path relative to publicUrl, as PlaylistItem.path carries it. */
  path: string;
  bytes: number;
}

export interface AudioCatalog {
  get(id: string): AudioItem | undefined;
  /** Whether the user may put the item in a schedule or broadcast (false for another area's own item). */
  usableBy?(user: SessionUser, id: string): boolean;
  /**
   * Broadcast modules register what still uses an item (human-readable, [] when unused); deleting an
   * item is refused while any check names a use.
   */
  addReferenceCheck?(check: (audioId: string) => string[]): void;
  /** Text-to-speech into a library item (e.g. a CAP alert's text); rejects with a message saying why. */
  synthesize?(request: {
    text: string;
    language?: string;
    title?: string;
    tags?: string[];
    actor: string;
  }): Promise<AudioItem>;
}

/** Read side of the collector's time-series store (the same interface it writes through). */
export type TimeSeriesReader = Pick<TimeSeriesStore, 'kind' | 'query' | 'latest'>;

/** The collector's alarm lifecycle when it runs in this process (npm start): acknowledgements go through it. */
export interface AlarmLifecycle {
  acknowledge(id: string, by: string): { ok: true } | { ok: false; error: string };
}

export interface ConsoleContext {
  db: SqliteDatabase;
  registry: Registry;
  log: Logger;
  dataDir: string;
  /** Public URL of the console (what gateways download audio from). */
  publicUrl: string;
  audit: AuditLog;
  signer: Signer;
  uplink: Uplink;
  areas: AreaDirectory;
  audio: AudioCatalog;
  /** The collector's time series; absent = the environment endpoints answer 503. */
  timeSeries?: TimeSeriesReader;
  /** Acknowledges collector alarms; absent = acknowledging answers 503 (alarms are still listed). */
  alarmLifecycle?: AlarmLifecycle;
  /** Guards a route: signed in and holding one of the roles (admin always passes). 401/403 otherwise. */
  requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv>;
  /** Live device presence and per-device details, for modules that show the fleet (the live stream). */
  fleet?: FleetView;
  /** The session behind a cookie value while it is valid; long-lived streams end when it is not. */
  sessionOf?(token: string): { expiresAt: number } | undefined;
}

/** Read access to what the core knows about devices beyond the registry. */
export interface FleetView {
  presence: PresenceBoard;
  details: DeviceDetailsTable;
  /** Whole-fleet reads (a few queries for any fleet size) for lists, summaries and the live snapshot. */
  overview: FleetOverview;
}
