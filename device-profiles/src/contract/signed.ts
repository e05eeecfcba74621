import { z } from 'zod';
import { EpochMsSchema } from './ids.js';

/**
 * Fields every console-issued message carries: a unique id (replay protection), issue and expiry
 * times, who issued it (audit), and an Ed25519 signature over the canonical JSON of all other fields.
 */
export const SignedFields = {
  id: z.string().uuid().describe('Unique message id; a gateway refuses an id it has already seen'),
  issuedAt: EpochMsSchema,
  expiresAt: EpochMsSchema.describe('After this the gateway refuses the message'),
  issuer: z.string().min(1).max(128).describe('User or service that issued it (audit log)'),
  sig: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .describe('Ed25519 signature, base64'),
};

/** The part of a signed message the signature covers. */
export function signedPart<T extends { sig: string }>(message: T): Omit<T, 'sig'> {
  const { sig: _sig, ...rest } = message;
  return rest;
}
