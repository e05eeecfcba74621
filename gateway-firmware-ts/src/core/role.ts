import type {
  Ack,
  AppliedDeviceConfig,
  DeviceEventBody,
  Reading,
  SourceHealthSchema,
  SpeakerState,
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
  /** Queues an ack (store-and-forward); the forwarder sends it at once when the link is up. */
  ack(ref: Ack['ref'], status: Ack['status'], reason?: string): void;
  /** Exact-topic subscription (built with `topics.*`), renewed on every reconnect. */
  subscribe(topic: string, handler: (topic: string, payload: Buffer) => void): void;
  unsubscribe(topic: string): void;
  /** Where the role may keep its own files (the gateway's data dir). */
  dataDir: string;
  /** The console's public key from enrollment; undefined when never enrolled. */
  signingKeyPem: string | undefined;
  /** Asks the program to restart (a `reboot` command); false when this host cannot. */
  requestRestart(reason: string): boolean;
}

/** Health a role contributes to the retained status. */
export interface RoleHealth {
  sources?: Record<string, SourceHealth>;
  ports?: Record<string, PortState>;
  /** Set by the loudspeaker role; its presence makes the status say `speaker-cluster`. */
  speaker?: SpeakerState;
}

/**
 * A feature of the gateway program (sensor polling now, loudspeaker later). The constructor only
 * initialises; start() begins work, stop() ends it cleanly; applyConfig() takes an accepted remote config.
 */
export interface Role {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  applyConfig(
    config: Pick<AppliedDeviceConfig, 'devices' | 'groups' | 'statusIntervalS' | 'defaultVolume'>,
  ): Promise<void>;
  health(): RoleHealth;
}
