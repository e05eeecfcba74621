import { ConfigError, parseLocalConfig } from '@xaso/gateway-firmware-ts';
import { describe, expect, it } from 'vitest';

const good = { deviceId: 'gw-1', mqtt: { url: 'mqtt://127.0.0.1:1883' }, dataDir: '/tmp/x' };

describe('local config', () => {
  it('fills defaults', () => {
    const config = parseLocalConfig(good, 'gw.json');
    expect(config.queue.diskBudgetBytes).toBeGreaterThan(0);
    expect(config.polling.gapTolerance).toBe(4);
  });
  it('names the file and the field that is wrong', () => {
    const bad = {
      ...good,
      devices: [{ name: 'pm', profile: 'pm-sensor-rs485', link: { type: 'rtu' }, unitId: 300 }],
    };
    expect(() => parseLocalConfig(bad, 'gw.json')).toThrow(ConfigError);
    expect(() => parseLocalConfig(bad, 'gw.json')).toThrow(
      /gw\.json[\s\S]*devices\[0\]\.link\.path[\s\S]*devices\[0\]\.unitId/,
    );
  });
  it('refuses unknown keys (a typo is not silently ignored)', () => {
    expect(() => parseLocalConfig({ ...good, statusIntervalSec: 5 }, 'gw.json')).toThrow(/statusIntervalSec/);
  });
});
