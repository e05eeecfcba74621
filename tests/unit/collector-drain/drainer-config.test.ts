import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../collector/src/config/load.js';

describe('the drainer switch', () => {
  it('drains in a worker thread unless told otherwise', () => {
    expect(loadConfig([], {}).outbox.drainer).toBe('worker');
    expect(loadConfig([], { XS_OUTBOX_DRAINER: 'main' }).outbox.drainer).toBe('main');
    expect(loadConfig(['--outbox-drainer', 'main'], { XS_OUTBOX_DRAINER: 'worker' }).outbox.drainer).toBe(
      'main',
    );
  });

  it('names the field when the value is not one it knows', () => {
    let error: unknown;
    try {
      loadConfig([], { XS_OUTBOX_DRAINER: 'thread' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/outbox\.drainer/);
  });
});
