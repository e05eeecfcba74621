/** Per-cluster answers to a command, in the order a gateway sends them. */
export const ACK_STATUSES = ['received', 'playing', 'done', 'failed', 'refused'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

const TERMINAL = new Set<AckStatus>(['done', 'failed', 'refused']);
export function isTerminal(s: AckStatus): boolean {
  return TERMINAL.has(s);
}

export interface ClusterDelivery {
  clusterId: string;
  /** Latest answer; null while the cluster has not answered. */
  status: AckStatus | null;
  /** Milliseconds from the send to each answer, as the console saw them. */
  latencyMs: Partial<Record<AckStatus, number>>;
  reason?: string;
}

export interface DeliveryProgress {
  broadcastId: string;
  sentAt: number;
  expected: number;
  counts: Record<AckStatus, number>;
  /** Clusters that answered at all. */
  answered: number;
  /** Every expected cluster answered (at least `received`). */
  delivered: boolean;
  /** Every expected cluster reached done, failed or refused. */
  finished: boolean;
  /** Clusters that have not answered yet. */
  silent: string[];
  receivedLatencyMs: { p50: number | null; p99: number | null; max: number | null };
  clusters: ClusterDelivery[];
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** Summary of one broadcast's deliveries. */
export function summarize(
  broadcastId: string,
  sentAt: number,
  clusters: Map<string, ClusterDelivery>,
  withClusters: boolean,
): DeliveryProgress {
  const counts = { received: 0, playing: 0, done: 0, failed: 0, refused: 0 };
  const silent: string[] = [];
  const latencies: number[] = [];
  let finished = 0;
  for (const d of clusters.values()) {
    if (d.status === null) {
      silent.push(d.clusterId);
      continue;
    }
    counts[d.status]++;
    if (isTerminal(d.status)) finished++;
    const first = d.latencyMs.received ?? d.latencyMs[d.status];
    if (first !== undefined) latencies.push(first);
  }
  latencies.sort((a, b) => a - b);
  return {
    broadcastId,
    sentAt,
    expected: clusters.size,
    counts,
    answered: clusters.size - silent.length,
    delivered: silent.length === 0,
    finished: finished === clusters.size,
    silent,
    receivedLatencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
    },
    clusters: withClusters ? [...clusters.values()] : [],
  };
}
