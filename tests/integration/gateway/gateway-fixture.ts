import type { AttachedDevice } from '@xaso/device-profiles/contract';
import { Gateway, type LocalConfig, parseLocalConfig, sensorRoleFactory } from '@xaso/gateway-firmware-ts';
import pino from 'pino';
import { tempDir } from '../../harness/index.js';

export interface GatewayFixtureOptions {
  deviceId: string;
  mqttUrl: string;
  devices: AttachedDevice[];
  username?: string;
  password?: string;
  signingPublicKeyPem?: string;
  dataDir?: string;
  extra?: Record<string, unknown>;
}

/** Fast test settings: short timeouts and back-off so faults show within a second or two. */
export async function gatewayConfig(options: GatewayFixtureOptions): Promise<LocalConfig> {
  return parseLocalConfig(
    {
      deviceId: options.deviceId,
      mqtt: {
        url: options.mqttUrl,
        username: options.username,
        password: options.password,
        reconnectPeriodMs: 200,
      },
      signingPublicKeyPem: options.signingPublicKeyPem,
      dataDir: options.dataDir ?? (await tempDir('xs-gw-data-')),
      devices: options.devices,
      polling: { timeoutMs: 300, backoffBaseMs: 100, backoffMaxMs: 800, gapTolerance: 4 },
      queue: { drainRatePerSecond: 500, maxInFlight: 20 },
      statusIntervalS: 1,
      ...options.extra,
    },
    'test config',
  );
}

/** The gateway in this process, with the sensor role; logs only warnings to keep test output readable. */
export async function startGateway(config: LocalConfig): Promise<Gateway> {
  const gateway = new Gateway(config, [sensorRoleFactory], pino({ level: process.env.GW_LOG ?? 'silent' }));
  await gateway.start();
  return gateway;
}
