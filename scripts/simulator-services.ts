import { getProfile } from '@xaso/device-profiles';
import { type Logger, SOCAT_INSTALL_HINT, SimulatedDevice, Simulation, findSocat } from '@xaso/simulators';
import type { Endpoint, Service } from './service.js';

export interface SimulatedStation {
  /** Name shown in the table, e.g. "air-station-1". */
  name: string;
  profile: string;
  seed: number;
  transport: 'tcp' | 'rtu-pty';
  unitId?: number;
}

/** A simulated station as a service: Modbus TCP on a free loopback port, or RTU on a fresh socat pty pair. */
export function simulatorService(station: SimulatedStation, logger: Logger): Service {
  let simulation: Simulation | undefined;
  return {
    name: station.name,
    unavailable() {
      if (station.transport === 'rtu-pty' && !findSocat())
        return `socat is not installed, so no Modbus RTU simulator; ${SOCAT_INSTALL_HINT}`;
      return undefined;
    },
    async start(): Promise<Endpoint[]> {
      const profile = getProfile(station.profile);
      const device = new SimulatedDevice({ profile, unitId: station.unitId, seed: station.seed });
      simulation = new Simulation({
        devices: [device],
        ...(station.transport === 'tcp' ? { tcp: { host: '127.0.0.1', port: 0 } } : { rtu: { pty: true } }),
        logger: logger.child({ station: station.name }),
      });
      const listeners = await simulation.start();
      return listeners.map((l) => ({
        service: station.name,
        what: `${profile.name} unit ${device.unitId}`,
        where: l.address,
        detail: l.transport === 'tcp' ? 'Modbus TCP' : `Modbus RTU, ${l.baudRate} baud 8N1`,
      }));
    },
    async stop() {
      await simulation?.stop();
      simulation = undefined;
    },
  };
}
