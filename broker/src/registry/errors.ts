/** A registry operation refused for a reason the caller can act on. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

export class UnknownDeviceError extends RegistryError {
  override name = 'UnknownDeviceError';
  constructor(readonly deviceId: string) {
    super(`unknown device ${JSON.stringify(deviceId)}`);
  }
}

export class DeviceExistsError extends RegistryError {
  override name = 'DeviceExistsError';
  constructor(readonly deviceId: string) {
    super(`device ${JSON.stringify(deviceId)} already exists`);
  }
}

export const ENROLLMENT_FAILURES = [
  'unknown-device',
  'no-code',
  'wrong-code',
  'expired',
  'already-used',
  'device-disabled',
] as const;
export type EnrollmentFailure = (typeof ENROLLMENT_FAILURES)[number];

const MESSAGES: Record<EnrollmentFailure, string> = {
  'unknown-device': 'no such device',
  'no-code': 'no enrollment code was issued for this device',
  'wrong-code': 'the enrollment code does not match',
  expired: 'the enrollment code has expired',
  'already-used': 'the enrollment code was already used',
  'device-disabled': 'the device is disabled',
};

export class EnrollmentError extends RegistryError {
  override name = 'EnrollmentError';
  constructor(readonly reason: EnrollmentFailure) {
    super(`enrollment refused: ${MESSAGES[reason]}`);
  }
}
