/**
 * Reads GET /api/live until its `snapshot` event is complete and returns that event's data. Pieces are
 * kept apart and joined once: concatenating and rescanning a 3 MB event per chunk costs the reader
 * seconds, which would be charged to the server.
 */
export async function readSnapshotEvent(res: Response): Promise<string> {
  if (!res.body) throw new Error('the response has no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  let tail = '';
  let started = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('/api/live ended before its snapshot');
    const piece = decoder.decode(value, { stream: true });
    const window = tail + piece;
    if (!started) {
      const at = window.indexOf('event: snapshot');
      if (at < 0) {
        tail = window.slice(-16);
        continue;
      }
      started = true;
      pieces.push(window.slice(at));
    } else pieces.push(piece);
    const last = pieces.at(-1) ?? '';
    const probe = (pieces.length > 1 ? (pieces.at(-2) ?? '').slice(-1) : '') + last;
    if (probe.includes('\n\n')) break;
    tail = '';
  }
  await reader.cancel().catch(() => undefined);
  const event = pieces.join('');
  const block = event.slice(0, event.indexOf('\n\n'));
  return block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''))
    .join('\n');
}
