import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../collector/src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'xs-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collector configuration', () => {
  it('defaults to the embedded store in ./data', () => {
    const c = loadConfig([], {});
    expect(c.store).toMatchObject({ kind: 'embedded', path: './data/timeseries.db' });
    expect(c.outbox.path).toBe('./data/collector.db');
    expect(c.mqtt.clientId).toBe('collector');
  });

  it('reads a file, then lets environment and flags override it', () => {
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({
        store: { kind: 'influxdb', url: 'http://db:8086', version: '1' },
        metrics: { port: 9000 },
      }),
    );
    const c = loadConfig(['--metrics-port', '9100'], {
      XS_COLLECTOR_CONFIG: file,
      XS_MQTT_URL: 'mqtt://broker:1883',
    });
    expect(c.store).toMatchObject({ kind: 'influxdb', url: 'http://db:8086', version: '1', db: 'xaso' });
    expect(c.metrics.port).toBe(9100);
    expect(c.mqtt.url).toBe('mqtt://broker:1883');
  });

  it('lists every problem at once with its path', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ store: { kind: 'influxdb', url: 'not a url', version: '4' }, metrics: { port: -1 } }),
    );
    let message = '';
    try {
      loadConfig(['--config', file], {});
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/store\.url/);
    expect(message).toMatch(/store\.version/);
    expect(message).toMatch(/metrics\.port/);
  });

  it('says which file is not JSON and rejects unknown flags', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{');
    expect(() => loadConfig(['--config', file], {})).toThrow(/broken\.json is not valid JSON/);
    expect(() => loadConfig(['--nope'], {})).toThrow(ConfigError);
  });
});
