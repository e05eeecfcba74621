import type { DeliveryProgress } from './broadcast-api.js';

export type AckStatus = 'received' | 'playing' | 'done' | 'failed' | 'refused';

/** What the delivery panel shows, each against the total of expected clusters. */
export interface DeliveryCounts {
  total: number;
  /** Answered at all (the command reached the cluster). */
  delivered: number;
  /** Playing now. */
  playing: number;
  done: number;
  /** Failed or refused (a bad signature, an expired command, audio it could not fetch). */
  failed: number;
  silent: number;
}

/** The tracker counts each cluster once, by its latest answer; the panel's words follow from that. */
export function deliveryCounts(p: DeliveryProgress): DeliveryCounts {
  return {
    total: p.expected,
    delivered: p.answered,
    playing: p.counts.playing,
    done: p.counts.done,
    failed: p.counts.failed + p.counts.refused,
    silent: p.silent.length,
  };
}

/** Clusters that answered, in the order their first answer arrived. */
export function answeredInOrder(p: DeliveryProgress): { clusterId: string; status: AckStatus }[] {
  const first = (c: DeliveryProgress['clusters'][number]) =>
    c.latencyMs.received ?? Math.min(...Object.values(c.latencyMs).filter((v) => v !== undefined));
  return p.clusters
    .flatMap((c) => (c.status === null ? [] : [{ clusterId: c.clusterId, status: c.status, at: first(c) }]))
    .sort((a, b) => a.at - b.at)
    .map(({ clusterId, status }) => ({ clusterId, status }));
}
