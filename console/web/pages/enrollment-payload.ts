/**
 * What the QR code carries: the device id and code the gateway's `enroll --device --code` needs, as a URI a
 * technician's phone shows legibly.
 */
export function enrollmentPayload(deviceId: string, code: string): string {
  return `xaso:enroll?device=${encodeURIComponent(deviceId)}&code=${encodeURIComponent(code)}`;
}
