import { join } from 'node:path';
import type { RunningBroker } from '@xaso/broker';
import { getProfile } from '@xaso/device-profiles';
import type { AttachedDevice } from '@xaso/device-profiles/contract';
import { Gateway, sensorRoleFactory } from '@xaso/gateway-firmware-ts';
import { SOCAT_INSTALL_HINT, SimulatedDevice, Simulation, findSocat } from '@xaso/simulators';
import type { Logger } from 'pino';
import { type Province, type Station, profileOf } from '../province/province.js';
import type { Endpoint, Service } from '../service.js';
import { clientMqttUrl, localAddress } from '../stack/broker-service.js';
import { enrolledGateway } from './gateway-enrollment.js';

/** Source name of the instrument in telemetry: what a technician calls it on site. */
export const SOURCE_OF = { air: 'aqms', water: 'probe' } as const;

export interface FleetOptions {
  province: Province;
  dataDir: string;
  waterLink: 'tcp' | 'rtu';
  broker: () => RunningBroker;
  /** An external broker to use instead of ours. */
  mqttUrl?: string;
  log: Logger;
}

interface RunningStation {
  station: Station;
  simulation: Simulation;
  gateway?: Gateway;
}

const CONNECT_WAIT_MS = 60_000;

/** Waits until every gateway's MQTT link is up; returns the ids still down after `timeoutMs`. */
async function connected(gateways: ReadonlyMap<string, Gateway>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let down = [...gateways].filter(([, g]) => !g.link.connected);
  while (down.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    down = down.filter(([, g]) => !g.link.connected);
  }
  return down.map(([id]) => id);
}

/** Each station's seed: stable across starts so a station keeps its character (roadside, rural…). */
export function seedOf(index: number): number {
  return 1000 + index * 7;
}

/**
 * The simulated province: per station a Modbus instrument (TCP, or RS485 over a socat pty pair) and a
 * sensor gateway enrolled through the broker's HTTP endpoint, all in this process (30 gateways cost
 * far less here than 30 Node processes would on a 2-core machine).
 */
export function stationFleet(
  options: FleetOptions,
): Service & { readonly gateways: ReadonlyMap<string, Gateway> } {
  const running: RunningStation[] = [];
  const gateways = new Map<string, Gateway>();
  const rtu = options.waterLink === 'rtu';

  interface Wired {
    station: Station;
    entry: RunningStation;
    device: AttachedDevice;
    address: string;
    serial: boolean;
  }

  async function startInstrument(station: Station, index: number): Promise<Wired> {
    const profile = getProfile(profileOf(station));
    const device = new SimulatedDevice({ profile, seed: seedOf(index) });
    const serial = station.kind === 'water' && rtu;
    const simulation = new Simulation({
      devices: [device],
      ...(serial ? { rtu: { pty: true } } : { tcp: { host: '127.0.0.1', port: 0 } }),
      logger: options.log.child({ name: 'simulator', station: station.id }),
    });
    const entry: RunningStation = { station, simulation };
    running.push(entry);
    const [listener] = await simulation.start();
    if (!listener) throw new Error(`simulator for ${station.id} did not start`);
    const link: AttachedDevice['link'] = serial
      ? { type: 'rtu', path: listener.address.replace(/^modbus-rtu:/, '') }
      : { type: 'tcp', host: '127.0.0.1', port: simulation.tcp?.port ?? 0 };
    const attached = { name: SOURCE_OF[station.kind], profile: profile.name, link, unitId: device.unitId };
    return { station, entry, device: attached, address: listener.address, serial };
  }

  async function startGateway(wired: Wired): Promise<Endpoint> {
    const { station, entry } = wired;
    const broker = options.broker();
    const host = localAddress(broker.config.host);
    const { config, reused } = await enrolledGateway({
      station,
      dir: join(options.dataDir, 'sim', 'gateways', station.id),
      devices: [wired.device],
      registry: broker.registry,
      enrollUrl: `http://${host}:${broker.ports.http}`,
      mqttUrl: clientMqttUrl(broker, options.mqttUrl),
    });
    const gateway = new Gateway(
      config,
      [sensorRoleFactory],
      options.log.child({ name: 'gateway', gateway: station.id }),
    );
    entry.gateway = gateway;
    gateways.set(station.id, gateway);
    const commune = options.province.communes.find((c) => c.id === station.commune);
    return {
      service: station.id,
      what: `${station.kind} · ${commune?.name ?? station.commune}`,
      where: wired.address,
      detail: `${wired.serial ? 'RS485 (pty)' : 'Modbus TCP'}; gateway ${reused ? 'reused its enrollment' : 'enrolled now'}`,
    };
  }

  return {
    name: 'simulated province',
    gateways,
    unavailable: () =>
      rtu && !findSocat()
        ? `simulation.waterLink is rtu but socat is missing; ${SOCAT_INSTALL_HINT}`
        : undefined,
    async start() {
      const endpoints: Endpoint[] = [];
      try {
        const wired = await Promise.all(options.province.stations.map((s, i) => startInstrument(s, i)));
        // Enrollment one at a time: each hashes a password synchronously on the broker's event loop.
        for (const w of wired) endpoints.push(await startGateway(w));
        // Connecting all at once lets the broker check the passwords on both cores (libuv pool).
        await Promise.all(running.map((r) => r.gateway?.start()));
        const late = await connected(gateways, CONNECT_WAIT_MS);
        if (late.length > 0)
          options.log.warn({ gateways: late }, 'gateways not connected yet; they keep retrying');
      } catch (err) {
        await this.stop();
        throw err;
      }
      return endpoints;
    },
    async stop() {
      // Gateways first (each says goodbye and closes its queue), then the instruments they poll.
      await Promise.all(running.map((r) => r.gateway?.stop()));
      await Promise.all(running.map((r) => r.simulation.stop()));
      running.length = 0;
      gateways.clear();
    },
  };
}
