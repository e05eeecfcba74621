import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '@xaso/broker';
import type { AttachedDevice } from '@xaso/device-profiles/contract';
import { type LocalConfig, enroll, parseLocalConfig, readConfigJson } from '@xaso/gateway-firmware-ts';
import type { Station } from '../province/province.js';

export interface GatewaySetup {
  station: Station;
  /** The gateway's own directory: gateway.json (mode 0600) and its disk queue. */
  dir: string;
  /** The instruments the simulation wired to this gateway (their ports change at every start). */
  devices: AttachedDevice[];
  registry: Registry;
  /** The broker's HTTP base URL, where POST /enroll lives. */
  enrollUrl: string;
  /** The MQTT URL simulated gateways use (ports move between starts; a real gateway keeps what enrollment gave it). */
  mqttUrl: string;
}

export interface EnrolledGateway {
  config: LocalConfig;
  /** True when stored credentials were reused, false when the gateway enrolled now. */
  reused: boolean;
}

const ENROLLMENT_CODE_TTL_MS = 10 * 60_000;

function storedFile(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : undefined;
}

function hasCredentials(stored: Record<string, unknown> | undefined): boolean {
  const mqtt = stored?.mqtt as Record<string, unknown> | undefined;
  return (
    typeof mqtt?.username === 'string' &&
    typeof mqtt.password === 'string' &&
    typeof stored?.signingPublicKeyPem === 'string'
  );
}

function write(file: string, content: Record<string, unknown>): void {
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The real enrollment path for one station's gateway: the registry knows the device, issues a one-time
 * code, and the gateway trades it over HTTP for its MQTT credentials and the console's signing key. A
 * gateway that enrolled on an earlier start (credentials on disk, device still enrolled) reuses them.
 */
export async function enrolledGateway(setup: GatewaySetup): Promise<EnrolledGateway> {
  const { station, dir, registry } = setup;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'gateway.json');
  let record = registry.getDevice(station.id);
  if (!record) {
    registry.createDevice({
      id: station.id,
      role: 'sensor-gateway',
      name: station.site,
      areaId: station.commune,
      groups: [station.commune],
    });
    record = registry.getDevice(station.id);
  }
  if (record?.disabled) throw new Error(`gateway ${station.id} is disabled in the registry`);
  const stored = storedFile(file);
  const reused = hasCredentials(stored) && record?.enrolledAt !== null;
  const wiring = { deviceId: station.id, dataDir: dir, devices: setup.devices, statusIntervalS: 60 };
  if (reused && stored) {
    const mqtt = { ...(stored.mqtt as Record<string, unknown>), url: setup.mqttUrl };
    write(file, { ...stored, ...wiring, mqtt });
  } else {
    write(file, wiring);
    const { code } = registry.issueEnrollmentCode(station.id, ENROLLMENT_CODE_TTL_MS);
    const enrollment = await enroll({
      url: setup.enrollUrl,
      deviceId: station.id,
      code,
      configFile: file,
      dataDir: dir,
    });
    const written = storedFile(file);
    if (written && enrollment.mqtt.url !== setup.mqttUrl)
      write(file, { ...written, mqtt: { ...(written.mqtt as Record<string, unknown>), url: setup.mqttUrl } });
  }
  return { config: parseLocalConfig(readConfigJson(file), file), reused };
}
