import type {
  DeviceConfig,
  DeviceEventBody,
  Reading,
  SourceHealthSchema,
} from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { PollingSettings } from '../config/local-config.js';

export type SourceHealth = z.infer<typeof SourceHealthSchema>;
export type PortState = 'open' | 'closed' | 'error';

/** What the core hands every role; roles never reach the MQTT client or the queue directly. */
export interface RoleContext {
  deviceId: string;
  log: Logger;
  polling: PollingSettings;
  /** Queues an event (sequenced, store-and-forward). */
  emit(event: DeviceEventBody): void;
  /** Queues readings as one or more telemetry batches. */
  publishReadings(readings: Reading[]): void;
}

/** Health a role contributes to the retained status. */
export interface RoleHealth {
  sources?: Record<string, SourceHealth>;
  ports?: Record<string, PortState>;
}

/**
 * A feature of the gateway program (sensor polling now, loudspeaker later). The constructor only
 * initialises; start() begins work, stop() ends it cleanly; applyConfig() takes an accepted remote config.
 */
export interface Role {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  applyConfig(config: Pick<DeviceConfig, 'devices' | 'groups' | 'statusIntervalS'>): Promise<void>;
  health(): RoleHealth;
}
