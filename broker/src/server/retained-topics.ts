import type { BrokerMetrics } from '../metrics/broker-metrics.js';

/** Topics holding a retained message, counted once at start from persistence and then followed live. */
export class RetainedTopics {
  private readonly topics = new Set<string>();

  constructor(private readonly metrics: BrokerMetrics) {}

  async load(stored: AsyncIterable<{ topic: string }>): Promise<void> {
    for await (const packet of stored) this.topics.add(packet.topic);
    this.metrics.retained.set(this.topics.size);
  }

  published(topic: string, payloadBytes: number): void {
    if (payloadBytes === 0) this.topics.delete(topic);
    else this.topics.add(topic);
    this.metrics.retained.set(this.topics.size);
  }

  get size(): number {
    return this.topics.size;
  }
}
