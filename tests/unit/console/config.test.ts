import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConsoleConfigError,
  loadConsoleConfig,
  parseConsoleConfig,
} from '../../../console/src/config/load.js';

describe('console configuration', () => {
  it('defaults to loopback and a console- client id', () => {
    const config = parseConsoleConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.mqtt.clientId).toMatch(/^console-/);
    expect(config.login.maxFailuresPerUser).toBe(5);
  });

  it('layers environment variables over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xs-console-config-'));
    const file = join(dir, 'console.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 9000, dataDir: '/srv/xaso', mqtt: { url: 'mqtt://broker:1883' } }),
    );
    const config = loadConsoleConfig({
      file,
      env: {
        XASO_CONSOLE_PORT: '9100',
        XASO_CONSOLE_TRUST_PROXY: 'true',
        XASO_CONSOLE_LOGIN_WINDOW_MS: '60000',
      },
    });
    expect(config.port).toBe(9100);
    expect(config.dataDir).toBe('/srv/xaso');
    expect(config.mqtt.url).toBe('mqtt://broker:1883');
    expect(config.trustProxy).toBe(true);
    expect(config.login.windowMs).toBe(60000);
  });

  it('names the field and the variable it came from', () => {
    expect(() => loadConsoleConfig({ env: { XASO_CONSOLE_PORT: 'eighty' } })).toThrow(
      /port.*XASO_CONSOLE_PORT|XASO_CONSOLE_PORT[\s\S]*port: /,
    );
    expect(() => parseConsoleConfig({ mqtt: { clientId: 'main' } })).toThrow(
      /mqtt\.clientId: must start with "console-"/,
    );
    expect(() => parseConsoleConfig({ publicUrl: 'not a url' })).toThrow(ConsoleConfigError);
    expect(() => parseConsoleConfig({ publicUrl: 'not a url' })).toThrow(/publicUrl/);
    expect(() => loadConsoleConfig({ file: '/nonexistent/console.json', env: {} })).toThrow(
      /cannot read config file/,
    );
  });
});
