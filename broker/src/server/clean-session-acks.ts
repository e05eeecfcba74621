interface SessionClient {
  clean: boolean;
}

interface OutgoingPacket {
  messageId?: number;
}

interface OutgoingPersistence {
  outgoingUpdate(client: SessionClient, packet: OutgoingPacket): Promise<void>;
  outgoingClearMessageId(client: SessionClient, packet: OutgoingPacket): Promise<unknown>;
}

/**
 * aedes never stores a QoS 1 delivery to a clean-session client, yet answers each of its PUBACKs with a
 * persistence lookup (a LevelDB read per subscriber per message: 10,000 reads for one publish at
 * N = 10,000) that can only miss. The one case with something stored is a clean client taking over an
 * old persistent session's queue on connect, and aedes calls `outgoingUpdate` for each of those packets
 * first; only their ids still go to the store. Persistent sessions are untouched.
 */
export function skipCleanSessionLookups<T extends object>(persistence: T): T {
  const target = persistence as unknown as OutgoingPersistence;
  const takenOver = new WeakMap<SessionClient, Set<number>>();
  const outgoingUpdate: OutgoingPersistence['outgoingUpdate'] = (client, packet) => {
    if (client.clean && packet.messageId !== undefined) {
      const ids = takenOver.get(client) ?? new Set<number>();
      ids.add(packet.messageId);
      takenOver.set(client, ids);
    }
    return target.outgoingUpdate(client, packet);
  };
  const outgoingClearMessageId: OutgoingPersistence['outgoingClearMessageId'] = (client, packet) => {
    if (!client.clean || packet.messageId === undefined) return target.outgoingClearMessageId(client, packet);
    if (takenOver.get(client)?.delete(packet.messageId)) return target.outgoingClearMessageId(client, packet);
    return Promise.resolve(undefined);
  };
  return new Proxy(persistence, {
    get(obj, prop) {
      if (prop === 'outgoingUpdate') return outgoingUpdate;
      if (prop === 'outgoingClearMessageId') return outgoingClearMessageId;
      return Reflect.get(obj, prop);
    },
  });
}
