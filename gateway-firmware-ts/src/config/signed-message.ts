import type { RefusalEventSchema } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import type { z } from 'zod';

export type RefusalReason = z.infer<typeof RefusalEventSchema>['reason'];

/** Why a console-issued message was refused, for the `refused` event and ack. */
export interface Refusal {
  reason: RefusalReason;
  detail: string;
}

/** The payload as JSON, or a `malformed` refusal. */
export function parseJsonPayload(payload: Buffer): { raw: unknown } | Refusal {
  try {
    return { raw: JSON.parse(payload.toString('utf8')) as unknown };
  } catch (err) {
    return { reason: 'malformed', detail: `not JSON: ${(err as Error).message}`.slice(0, 500) };
  }
}

/** zod issues as one line naming each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Ed25519 over the canonical JSON of the payload as received (`raw`, before zod defaults), by the key the
 * gateway got at enrollment. Null when it verifies.
 */
export function signatureProblem(raw: unknown, signingKeyPem: string | undefined): Refusal | null {
  if (signingKeyPem === undefined)
    return { reason: 'unsigned', detail: 'no signing key configured; enroll first' };
  if (!verifyMessage(raw, signingKeyPem))
    return { reason: 'bad-signature', detail: 'signature does not verify' };
  return null;
}

export function expiryProblem(expiresAt: number, now: number): Refusal | null {
  if (expiresAt > now) return null;
  return { reason: 'expired', detail: `expired at ${new Date(expiresAt).toISOString()}` };
}

/** A message with no signature at all is `unsigned` (not merely malformed), so the console can tell. */
export function unsignedProblem(raw: unknown): Refusal | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const sig = (raw as { sig?: unknown }).sig;
  if (sig !== undefined && sig !== '') return null;
  return { reason: 'unsigned', detail: 'the message carries no signature' };
}
