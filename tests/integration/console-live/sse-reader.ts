export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads a server-sent event stream as it arrives: events in order, comments counted separately, and a
 * wait that fails with what did arrive when the expected event does not.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private buffer = '';
  private readonly waiters = new Set<() => void>();

  constructor(response: Response) {
    if (!response.body) throw new Error('the response has no body');
    void this.pump(response.body.getReader());
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // An aborted read ends the stream like a closed one.
    }
    this.ended = true;
    this.wake();
  }

  private parse(): void {
    let cut = this.buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      let comment = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comment = true;
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) this.events.push({ event, data: data.join('\n') });
      else if (comment) this.comments++;
      cut = this.buffer.indexOf('\n\n');
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves with the first event (from index `after` on) that matches. */
  async next<T>(
    name: string,
    match: (data: T) => boolean = () => true,
    timeoutMs = 10_000,
    after = 0,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(after).find((e) => e.event === name && match(JSON.parse(e.data) as T));
      if (found) return JSON.parse(found.data) as T;
      if (this.ended) throw new Error(`stream ended before "${name}"; got ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching "${name}" within ${timeoutMs} ms; got ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  /** Waits until the server closes the stream. */
  async closed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`stream still open after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  describe(): string {
    return this.events.map((e) => `${e.event}:${e.data.slice(0, 120)}`).join(' | ') || 'nothing';
  }
}
