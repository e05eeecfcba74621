import { spawn } from 'node:child_process';
import { type Server, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenerOf } from '../../harness/listener.js';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : -1);
    });
  });
}

describe('listenerOf: whose socket listens on a port', () => {
  it('tells this process, another process and nobody apart', async () => {
    const server = createServer();
    const port = await listen(server);
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      expect(listenerOf(port, process.pid)).toBe('child');
      expect(listenerOf(port, other.pid ?? -1)).toBe('other');
    } finally {
      other.kill('SIGKILL');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(listenerOf(port, process.pid)).toBe('none');
  });
});
