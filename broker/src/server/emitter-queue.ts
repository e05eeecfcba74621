/**
 * A first-in first-out queue with Array's `push`/`shift`/`length`, each O(1). mqemitter queues messages
 * beyond its concurrency in two Arrays and takes them with `shift()`, which copies the whole backing store
 * once it is too large for V8 to trim in place: at 10,000 clusters an emergency's ack storm queues tens of
 * thousands, and those copies took ~5 % of the broker's CPU.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): number {
    this.items.push(item);
    return this.length;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      // Drop the taken half in one copy: amortised O(1) per shift.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** What this relies on of MQEmitter 7 (and mqemitter-redis, which extends it). */
interface QueueingEmitter {
  _messageQueue: unknown;
  _messageCallbacks: unknown;
}

/** Gives an mqemitter O(1) queues for the messages it holds back beyond its concurrency. */
export function queueInFifo<T extends object>(mq: T): T {
  const emitter = mq as unknown as QueueingEmitter;
  if (!Array.isArray(emitter._messageQueue) || !Array.isArray(emitter._messageCallbacks))
    throw new Error('this mqemitter has no _messageQueue/_messageCallbacks arrays: check the version');
  if (emitter._messageQueue.length > 0) throw new Error('queueInFifo must be applied before the first emit');
  emitter._messageQueue = new Fifo();
  emitter._messageCallbacks = new Fifo();
  return mq;
}
