import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedUplink } from '../../../scripts/fleet/speaker-uplink.js';

let echo: Server;
let uplink: SimulatedUplink | undefined;

async function startEcho(): Promise<number> {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function connect(url: string): Promise<Socket> {
  const port = Number(url.split(':').at(-1));
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

function collect(socket: Socket): { text: () => string; closed: Promise<void> } {
  let text = '';
  socket.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return { text: () => text, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
}

afterEach(async () => {
  await uplink?.close();
  await new Promise((resolve) => echo.close(resolve));
});

describe('SimulatedUplink', () => {
  it('delays every chunk by the link latency and keeps their order despite jitter', async () => {
    uplink = await SimulatedUplink.open(
      { host: '127.0.0.1', port: await startEcho() },
      { latencyMs: 60, jitterMs: 40 },
    );
    const socket = await connect(uplink.url);
    const got = collect(socket);
    const sentAt = Date.now();
    for (let i = 0; i < 50; i++) socket.write(`${i},`);
    const expected = Array.from({ length: 50 }, (_, i) => `${i},`).join('');
    while (got.text() !== expected && Date.now() - sentAt < 5000) await new Promise((r) => setTimeout(r, 5));
    // Echo goes through the relay twice: at least two one-way delays.
    expect(got.text()).toBe(expected);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(115);
    socket.destroy();
  });

  it('a cut drops the live connection and refuses new ones until restored', async () => {
    uplink = await SimulatedUplink.open(
      { host: '127.0.0.1', port: await startEcho() },
      { latencyMs: 0, jitterMs: 0 },
    );
    const live = await connect(uplink.url);
    const { closed } = collect(live);
    uplink.cut();
    expect(uplink.isUp).toBe(false);
    await closed;
    const refused = await connect(uplink.url);
    await collect(refused).closed;
    uplink.restore();
    const again = await connect(uplink.url);
    const got = collect(again);
    again.write('hello');
    const deadline = Date.now() + 3000;
    while (got.text() !== 'hello' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(got.text()).toBe('hello');
    again.destroy();
  });
});
