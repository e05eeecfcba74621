import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartConfigError, loadStartConfig } from '../../../scripts/stack/config-load.js';
import { tempDir } from '../../harness/index.js';
import { ROOT, StartProcess } from './start-process.js';

function problem(argv: string[], env: NodeJS.ProcessEnv): string {
  try {
    loadStartConfig(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(StartConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('npm start configuration', () => {
  it('a bad value stops the real command with exit 2 and names the field and the variable', async () => {
    const dataDir = await tempDir('xs-start-config-');
    const stack = new StartProcess([], { XS_DATA_DIR: dataDir, XS_MQTT_PORT: 'eighteen83' });
    expect(await stack.exited).toBe('code 2');
    expect(stack.stderr).toMatch(/broker\.mqtt\.port \(from environment XS_MQTT_PORT\)/);
    expect(stack.stdout).not.toMatch(/starting/);
  }, 60_000);

  it('names every bad field of a file, with the file, in one message', async () => {
    const dir = await tempDir('xs-start-config-');
    const file = join(dir, 'xaso.json');
    writeFileSync(
      file,
      JSON.stringify({
        broker: { http: { port: 70000 } },
        collector: { store: { kind: 'influxdb' } },
        simulation: { backfillDays: -1 },
      }),
    );
    const message = problem(['--config', file], {});
    expect(message).toContain(`simulation.backfillDays (from file ${file})`);
    expect(message).toContain(`broker.http.port (from file ${file})`);
    expect(message).toContain(`collector.store.url (from file ${file})`);
    expect(problem([], { XS_CONFIG: file })).toContain(`broker.http.port (from file ${file})`);
  });

  it('rejects unknown options and keys instead of ignoring them', () => {
    expect(problem(['--no-such-flag'], {})).toMatch(/unknown option --no-such-flag/);
    expect(problem([], { XS_LOG_LEVEL: 'loud' })).toMatch(/log\.level \(from environment XS_LOG_LEVEL\)/);
    const dir = join(ROOT, 'no-such-dir', 'x.json');
    expect(problem(['--config', dir], {})).toMatch(/cannot use config file .*x\.json/);
  });

  it('fills production defaults: data dir, embedded store beside it, InfluxDB from the environment', () => {
    const base = loadStartConfig(['--no-sim', '--data', '/srv/xaso'], {});
    expect(base.noSim).toBe(true);
    expect(base.broker).toMatchObject({ dataDir: '/srv/xaso', mqtt: { port: 1883 }, http: { port: 8884 } });
    expect(base.broker.enrollmentLimit).toEqual({ burst: 10, perMinute: 10 });
    expect(base.collector.store).toMatchObject({ kind: 'embedded', path: '/srv/xaso/timeseries.db' });
    const influx = loadStartConfig([], { XS_INFLUX_URL: 'http://influx:8086', XS_INFLUX_TOKEN: 't' });
    expect(influx.collector.store).toMatchObject({ kind: 'influxdb', url: 'http://influx:8086', token: 't' });
  });

  it('accepts the example configuration shipped for operators', () => {
    const config = loadStartConfig(['--config', join(ROOT, 'scripts/xaso.example.json')], {});
    expect(config.settings.dataDir).toBe('/var/lib/xaso');
  });
});
