import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServerHandle,
  createDatabase,
  influxQuery,
  influxWrite,
  startInfluxDB,
} from '../../harness/index.js';

describe('startInfluxDB: a real influxd 1.x', () => {
  let influx: ServerHandle;

  beforeAll(async () => {
    influx = await startInfluxDB();
  });
  afterAll(async () => {
    await influx?.stop();
  });

  const readBack = async (): Promise<unknown[][] | undefined> => {
    const [result] = await influxQuery(influx.url, 'proof', 'SELECT "value" FROM "meas_air" ORDER BY time');
    return result?.series?.[0]?.values;
  };

  it('writes line protocol via /write, reads it back with InfluxQL, and keeps it across SIGKILL', async () => {
    await createDatabase(influx.url, 'proof');
    const now = Date.now();
    await influxWrite(influx.url, 'proof', [
      `meas_air,device=st-1 value=12.5 ${now - 1000}`,
      `meas_air,device=st-1 value=17.25 ${now}`,
    ]);
    const expected = [
      [now - 1000, 12.5],
      [now, 17.25],
    ];
    expect(await readBack()).toEqual(expected);

    const firstPid = influx.pid;
    await influx.kill();
    await expect(fetch(`${influx.url}/ping`)).rejects.toThrow();
    await influx.restart();
    expect(influx.pid).not.toBe(firstPid);
    // The WAL is replayed on start: the points written before the SIGKILL are still there.
    expect(await readBack()).toEqual(expected);
  });

  it('runs a second instance beside the first (no clash on the default 8088 RPC port)', async () => {
    const second = await startInfluxDB();
    try {
      expect(second.port).not.toBe(influx.port);
      expect((await fetch(`${second.url}/ping`)).status).toBe(204);
      expect((await fetch(`${influx.url}/ping`)).status).toBe(204);
      // A fresh data dir: the first instance's database is not there.
      const [first] = await influxQuery(influx.url, '', 'SHOW DATABASES');
      expect(first?.series?.[0]?.values).toContainEqual(['proof']);
      const [fresh] = await influxQuery(second.url, '', 'SHOW DATABASES');
      expect(fresh?.series?.[0]?.values ?? []).toEqual([]);
    } finally {
      await second.stop();
    }
    expect(existsSync(second.dir)).toBe(false);
  });

  it('reports InfluxQL errors instead of returning empty results', async () => {
    await expect(influxQuery(influx.url, 'proof', 'SELEKT nonsense')).rejects.toThrow(/error parsing query/);
  });
});
