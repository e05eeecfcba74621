/**
 * aedes-persistence-level 9's key layout for QoS 1 in-flight state, repeated here because the journal writes
 * the same keys the library reads back (queues stored before an upgrade stay readable, and the other way).
 * A test holds the two in step.
 */
const OUTGOING = 'outgoing:';
const OUTGOING_ID = 'outgoing-id:';

/** Zero-padded so LevelDB's byte order is numeric order (Number.MAX_SAFE_INTEGER has 16 digits). */
function padId(id: number | undefined): string | undefined {
  return id?.toString().padStart(16, '0');
}

/** Ends with ':' so one client's range never spills into a client whose id extends it. */
export function outgoingByClientKey(clientId: string): string {
  return `${OUTGOING}${encodeURIComponent(clientId)}:`;
}

export function outgoingKey(
  clientId: string,
  brokerId: string | undefined,
  brokerCounter: number | undefined,
): string {
  return `${outgoingByClientKey(clientId)}${brokerId}:${padId(brokerCounter)}`;
}

export function outgoingByIdKey(clientId: string, messageId: number | undefined): string {
  return `${OUTGOING_ID}${encodeURIComponent(clientId)}:${padId(messageId)}`;
}

export function isOutgoingByIdKey(key: string): boolean {
  return key.startsWith(OUTGOING_ID);
}

/** Every message-id key of every client. */
export function outgoingByIdRange(): { gte: string; lt: string } {
  return prefixRange(OUTGOING_ID);
}

/** Every key under a prefix ending in ':' — ';' is the next byte, so nothing sorts between. */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: `${prefix.slice(0, -1)};` };
}
