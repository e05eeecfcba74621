/** The two MQTT roles a device can have; the contract's device profiles map onto these. */
export type DeviceRole = 'sensor-gateway' | 'speaker-cluster';
export const DEVICE_ROLES = ['sensor-gateway', 'speaker-cluster'] as const satisfies readonly DeviceRole[];

export type ServiceRole = 'collector' | 'console';
export const SERVICE_ROLES = ['collector', 'console'] as const satisfies readonly ServiceRole[];

/** Who is on the other end of an MQTT connection, once the password checked out. */
export type Principal =
  | { kind: 'device'; id: string; role: DeviceRole; groups: string[] }
  | { kind: 'service'; id: string; role: ServiceRole };
