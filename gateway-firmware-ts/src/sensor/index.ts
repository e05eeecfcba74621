import type { RoleFactory } from '../core/gateway.js';
import { SensorRole } from './sensor-role.js';

export { SensorRole } from './sensor-role.js';
export { planReads, MAX_PER_REQUEST, type PlannedRead } from './read-planner.js';
export { Bus, busKey, type PlannedWrite, type SerialSettings } from './bus.js';
export { BusPool } from './bus-pool.js';

/** Builds the sensor role from the gateway's effective settings. */
export const sensorRoleFactory: RoleFactory = (context, settings) =>
  new SensorRole(context, settings.devices);
