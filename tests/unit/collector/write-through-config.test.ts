import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../collector/src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'xs-config-wt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collector configuration: the outbox mode', () => {
  it('defaults to the outbox for every group; write-through gets a 1.5 s deadline, four groups of 40', () => {
    const c = loadConfig([], {});
    expect(c.outbox).toMatchObject({
      mode: 'always',
      writeThroughDeadlineMs: 1500,
      writeThroughGroups: 4,
      writeThroughMaxMessages: 40,
    });
  });

  it('is set by file, then environment, then flag', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ outbox: { mode: 'always', writeThroughDeadlineMs: 800 } }));
    expect(loadConfig([], { XS_COLLECTOR_CONFIG: file }).outbox).toMatchObject({
      mode: 'always',
      writeThroughDeadlineMs: 800,
    });
    expect(loadConfig([], { XS_COLLECTOR_CONFIG: file, XS_OUTBOX_MODE: 'write-through' }).outbox.mode).toBe(
      'write-through',
    );
    expect(loadConfig(['--outbox-mode', 'always'], { XS_OUTBOX_MODE: 'write-through' }).outbox.mode).toBe(
      'always',
    );
    expect(loadConfig(['--outbox-mode', 'write-through'], {}).outbox.mode).toBe('write-through');
  });

  it('names the field of an unknown mode or a deadline out of range', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ outbox: { writeThroughDeadlineMs: 10 } }));
    expect(() => loadConfig([], { XS_OUTBOX_MODE: 'sometimes' })).toThrow(/outbox\.mode/);
    expect(() => loadConfig([], { XS_COLLECTOR_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadConfig([], { XS_COLLECTOR_CONFIG: file })).toThrow(/outbox\.writeThroughDeadlineMs/);
  });
});
