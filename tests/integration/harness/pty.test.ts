import { openSync } from 'node:fs';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ReadStream } from 'node:tty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PtyPair, startPtyPair } from '../../harness/index.js';

/** Collects bytes arriving on a pty until `count` have come, or fails after 5 s. */
function readBytes(path: string, count: number): Promise<Buffer> {
  // A tty.ReadStream reads without blocking a libuv thread-pool thread, unlike fs streams on a device.
  const stream = new ReadStream(openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (err: Error | null): void => {
      clearTimeout(timer);
      stream.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(
      () => done(new Error(`only ${total} of ${count} bytes arrived at ${path}`)),
      5000,
    );
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= count) done(null);
    });
    stream.once('error', done);
  });
}

async function writeBytes(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    await handle.write(bytes);
  } finally {
    await handle.close();
  }
}

describe('startPtyPair: socat null-modem cable', () => {
  let pty: PtyPair;

  beforeAll(async () => {
    pty = await startPtyPair();
  });
  afterAll(async () => {
    await pty?.stop();
  });

  // Raw mode matters for Modbus RTU: NUL, CR/LF and 0xFF must pass untranslated.
  const frame = Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd, 0x0d, 0x0a, 0xff, 0x00]);

  it('carries bytes written to a out of b, unaltered', async () => {
    const arriving = readBytes(pty.b, frame.length);
    await writeBytes(pty.a, frame);
    expect(await arriving).toEqual(frame);
  });

  it('carries bytes the other way too', async () => {
    const reply = Buffer.from('b to a\r\n\u0000\u0003', 'latin1');
    const arriving = readBytes(pty.a, reply.length);
    await writeBytes(pty.b, reply);
    expect(await arriving).toEqual(reply);
  });
});
