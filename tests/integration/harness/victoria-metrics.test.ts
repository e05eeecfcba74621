import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServerHandle,
  startVictoriaMetrics,
  victoriaExport,
  victoriaFlush,
  victoriaPersist,
} from '../../harness/index.js';

describe('startVictoriaMetrics: a real victoria-metrics', () => {
  let vm: ServerHandle;

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('accepts line protocol on /api/v2/write (the influxdb-client shape) and exports it back', async () => {
    // Current timestamps: VictoriaMetrics silently drops points outside its retention window.
    const now = Date.now();
    const ns = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;
    const body = [
      `meas_air,device=st-1 pm25=12.5 ${ns(now - 1000)}`,
      `meas_air,device=st-1 pm25=17.25 ${ns(now)}`,
    ].join('\n');
    const res = await fetch(`${vm.url}/api/v2/write?bucket=x&org=y&precision=ns`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
    });
    expect(res.status).toBe(204);
    await victoriaFlush(vm.url);

    const series = await victoriaExport(vm.url, '{__name__=~"meas_.*"}');
    expect(series).toHaveLength(1);
    expect(series[0]?.metric).toMatchObject({ __name__: 'meas_air_pm25', device: 'st-1' });
    expect(series[0]?.timestamps).toEqual([now - 1000, now]);
    expect(series[0]?.values).toEqual([12.5, 17.25]);
  });

  it('keeps persisted data across SIGKILL and restart on the same port', async () => {
    const now = Date.now();
    const res = await fetch(`${vm.url}/write?db=proof`, {
      method: 'POST',
      body: `meas_crash value=42 ${now}000000`,
    });
    expect(res.status).toBe(204);
    // force_flush alone keeps the newest points in memory only, and SIGKILL would lose them.
    await victoriaPersist(vm.url);
    const firstPid = vm.pid;
    await vm.kill();
    await vm.restart();
    expect(vm.pid).not.toBe(firstPid);
    const series = await victoriaExport(vm.url, '{__name__="meas_crash_value"}');
    expect(series.map((s) => s.values)).toEqual([[42]]);
  });
});
