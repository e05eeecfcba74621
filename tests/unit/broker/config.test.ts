import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@xaso/broker';
import { describe, expect, it } from 'vitest';
import { describeStorage } from '../../../broker/src/server/persistence.js';

describe('broker configuration', () => {
  it('defaults to plain MQTT on 127.0.0.1:1883 with LevelDB persistence under ./data', () => {
    const c = loadConfig({ argv: [], env: {} });
    expect(c.host).toBe('127.0.0.1');
    expect(c.mqtt.port).toBe(1883);
    expect(c.http.port).toBe(8884);
    expect(c.tls).toBeUndefined();
    expect(c.ws).toBeUndefined();
    expect(describeStorage(c)).toEqual({ kind: 'level', dir: join('./data', 'broker-persistence') });
    expect(c.drainTimeout).toBeGreaterThanOrEqual(10_000);
  });

  it('layers file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xs-broker-config-'));
    const file = join(dir, 'broker.json');
    writeFileSync(
      file,
      JSON.stringify({ host: '0.0.0.0', mqtt: { port: 1000 }, http: { port: 2000 }, dataDir: '/file' }),
    );
    const c = loadConfig({
      argv: ['--config', file, '--port', '3000'],
      env: { XS_BROKER_PORT: '4000', XS_BROKER_HTTP_PORT: '5000', XS_DATA_DIR: '/env' },
    });
    expect(c.host).toBe('0.0.0.0');
    expect(c.mqtt.port).toBe(3000);
    expect(c.http.port).toBe(5000);
    expect(c.dataDir).toBe('/env');
    expect(loadConfig({ argv: ['--data=/flag'], env: { XS_DATA_DIR: '/env' } }).dataDir).toBe('/flag');
  });

  it('configures TLS and WebSocket listeners from flags', () => {
    const c = loadConfig({
      argv: ['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--ws-port', '9001'],
      env: {},
    });
    expect(c.tls).toEqual({ port: 8883, certFile: 'c.pem', keyFile: 'k.pem' });
    expect(c.ws).toEqual({ port: 9001, path: '/mqtt' });
  });

  it('selects Redis persistence (with mqemitter-redis) from the environment', () => {
    const c = loadConfig({ argv: [], env: { XS_BROKER_REDIS_URL: 'redis://cache.local:6380/2' } });
    expect(describeStorage(c)).toEqual({ kind: 'redis', url: 'redis://cache.local:6380/2' });
  });

  it('coalesces socket writes unless XS_BROKER_COALESCE_WRITES says false, and names a bad value', () => {
    expect(loadConfig({ argv: [], env: {} }).mqtt.coalesceWrites).toBe(true);
    expect(loadConfig({ argv: [], env: { XS_BROKER_COALESCE_WRITES: 'false' } }).mqtt.coalesceWrites).toBe(
      false,
    );
    expect(loadConfig({ argv: [], env: { XS_BROKER_COALESCE_WRITES: '1' } }).mqtt.coalesceWrites).toBe(true);
    expect(() => loadConfig({ argv: [], env: { XS_BROKER_COALESCE_WRITES: 'maybe' } })).toThrow(
      /mqtt\.coalesceWrites \(from environment XS_BROKER_COALESCE_WRITES\)/,
    );
  });

  it('names the field and the source of a bad value', () => {
    expect(() => loadConfig({ argv: ['--port', 'abc'], env: {} })).toThrow(/mqtt\.port \(from flag --port\)/);
    expect(() => loadConfig({ argv: [], env: { XS_BROKER_HTTP_PORT: '70000' } })).toThrow(
      /http\.port \(from environment XS_BROKER_HTTP_PORT\)/,
    );
    expect(() => loadConfig({ argv: ['--redis', 'http://x'], env: {} })).toThrow(
      /persistence\.url \(from flag --redis\)/,
    );
    expect(() => loadConfig({ argv: ['--bogus', '1'], env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ['--port'], env: {} })).toThrow(/needs a value/);
    const dir = mkdtempSync(join(tmpdir(), 'xs-broker-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ limits: { maxPacketSize: 10 } }));
    expect(() => loadConfig({ argv: ['--config', file], env: {} })).toThrow(
      /limits\.maxPacketSize \(from file .*bad\.json\)/,
    );
    writeFileSync(file, '{not json');
    expect(() => loadConfig({ argv: ['--config', file], env: {} })).toThrow(/not valid JSON/);
  });
});
