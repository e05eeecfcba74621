import { z } from 'zod';
import { DeviceIdSchema, GroupIdSchema } from './ids.js';

/** A gateway trades a technician's one-time code for its MQTT credentials over HTTP(S). */
export const EnrollmentRequestSchema = z.object({
  deviceId: DeviceIdSchema,
  code: z.string().min(8).max(128),
});

export const EnrollmentResponseSchema = z.object({
  deviceId: DeviceIdSchema,
  mqtt: z.object({
    url: z.string().describe('Broker URL the device should use, e.g. mqtts://broker.example:8883'),
    username: z.string(),
    password: z.string(),
  }),
  signingPublicKeyPem: z.string().describe("Console's Ed25519 public key (SPKI PEM) to verify commands"),
  groups: z.array(GroupIdSchema),
});

export type EnrollmentRequest = z.infer<typeof EnrollmentRequestSchema>;
export type EnrollmentResponse = z.infer<typeof EnrollmentResponseSchema>;
