import { AQI_CATEGORIES, rgbHex } from '@xaso/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../collector/wait.js';
import type { ApiClient } from '../console/fixture.js';
import { AIR, type EnvironmentStack, WATER, airHistory, startEnvironmentStack } from './environment-stack.js';

interface StationWire {
  id: string;
  kind: string;
  index: { kind: string; value: number; category: string; colour: string; dominant?: string } | null;
  [k: string]: unknown;
}
interface SeriesWire {
  intervalMs: number;
  times: number[];
  fields: {
    field: string;
    unit: string;
    mean: (number | null)[];
    min: (number | null)[];
    max: (number | null)[];
  }[];
}
interface AlarmWire {
  id: string;
  stationId: string;
  status: string;
  acknowledgedBy?: string;
  note?: string;
  channel?: string;
}

const DAY = 86_400_000;

describe('environment API on a real collector, store and state DB', () => {
  let env: EnvironmentStack;
  let officer: ApiClient;
  const now = Date.now();

  beforeAll(async () => {
    env = await startEnvironmentStack();
    await env.collector.store.write(airHistory(AIR, now - 3 * DAY, now));
    officer = await env.stack.login('environment');
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it('lists stations in exactly the shape the map reads, with the AQI badge in the official colour', async () => {
    await env.publishWater(1, { ph: 7.1, do: 6.2, nh4: 0.1 });
    await until('water reading stored', async () => {
      const r = await officer.get<{ stations: StationWire[] }>('/api/environment/stations');
      return r.body.stations?.some((s) => s.id === WATER) ?? false;
    });
    const res = await officer.get<{ stations: StationWire[] }>('/api/environment/stations');
    expect(res.status).toBe(200);
    const air = res.body.stations.find((s) => s.id === AIR);
    expect(Object.keys(air ?? {}).sort()).toEqual(
      ['id', 'kind', 'name', 'areaId', 'lat', 'lon', 'online', 'lastReadingAt', 'index'].sort(),
    );
    expect(air).toMatchObject({ kind: 'air', name: 'Trạm không khí Tân Biên', areaId: 'xa-tan-bien' });
    expect(air?.index?.kind).toBe('aqi');
    const band = AQI_CATEGORIES.find(
      (c) => (air?.index?.value ?? -1) >= c.min && (air?.index?.value ?? -1) <= c.max,
    );
    expect(air?.index?.category).toBe(band?.nameVi);
    expect(air?.index?.colour).toBe(band ? rgbHex(band.rgb) : 'none');
    expect(
      Object.keys(air?.index ?? {}).every((k) =>
        ['kind', 'value', 'category', 'colour', 'dominant'].includes(k),
      ),
    ).toBe(true);
    expect(res.body.stations.find((s) => s.id === WATER)?.kind).toBe('water');

    const operator = await env.stack.login('operator', { areaIds: ['xa-tan-bien'] });
    const own = await operator.get<{ stations: StationWire[] }>('/api/environment/stations');
    expect(own.body.stations.map((s) => s.id)).toEqual([AIR]);
    // Technicians check every station's values after an installation; the map colours them for them too.
    const technician = await env.stack.login('technician');
    const all = await technician.get<{ stations: StationWire[] }>('/api/environment/stations');
    expect(all.body.stations.map((s) => s.id).sort()).toEqual([AIR, WATER].sort());
    // The commune's few stations are read one by one, the province's all at once: the same values.
    const fromAll = all.body.stations.find((s) => s.id === AIR);
    expect(own.body.stations[0]?.lastReadingAt).toBeGreaterThan(0);
    expect(own.body.stations[0]).toEqual(fromAll);
    // A station of another commune is not found for the operator, even by its id.
    expect((await operator.get(`/api/environment/stations/${WATER}`)).status).toBe(404);
    expect((await operator.get(`/api/environment/stations/${AIR}`)).status).toBe(200);
  });

  it('gives the station detail: units, QCVN limits, latest values, hourly AQI of the last 24 h', async () => {
    const res = await officer.get<{
      channels: {
        field: string;
        unit: string;
        latest: { value: number } | null;
        limits: { averaging: string; limit: number }[];
      }[];
      last24h: { value: number; at: number }[];
    }>(`/api/environment/stations/${AIR}`);
    expect(res.status).toBe(200);
    const pm25 = res.body.channels.find((c) => c.field === 'pm25');
    expect(pm25?.unit).toBe('µg/m³');
    expect(pm25?.latest?.value).toBeGreaterThan(0);
    expect(pm25?.limits).toContainEqual(expect.objectContaining({ averaging: '24h', limit: 45 }));
    expect(res.body.last24h.length).toBeGreaterThanOrEqual(23);
    expect((await officer.get('/api/environment/stations/nope')).status).toBe(404);
  });

  it('downsamples any range server-side and gets finer when zoomed', async () => {
    const wide = await officer.get<SeriesWire>(
      `/api/environment/stations/${AIR}/series?fields=pm25,pm10&from=${now - 3 * DAY}&to=${now}&maxPoints=100`,
    );
    expect(wide.status).toBe(200);
    expect(wide.body.times.length).toBeLessThanOrEqual(100);
    expect(wide.body.times.length).toBeGreaterThan(50);
    const pm25 = wide.body.fields[0];
    expect(pm25?.unit).toBe('µg/m³');
    const i = pm25?.mean.findIndex((v) => v !== null) ?? -1;
    expect(pm25?.min[i] ?? 0).toBeLessThanOrEqual(pm25?.mean[i] ?? 0);
    expect(pm25?.max[i] ?? 0).toBeGreaterThanOrEqual(pm25?.mean[i] ?? 0);
    const zoom = await officer.get<SeriesWire>(
      `/api/environment/stations/${AIR}/series?fields=pm25&from=${now - 3 * 3_600_000}&to=${now}&maxPoints=100`,
    );
    expect(zoom.body.intervalMs).toBeLessThan(wide.body.intervalMs);
    expect(zoom.body.intervalMs).toBeLessThanOrEqual(300_000);

    const bad = await officer.get<{ field: string }>(`/api/environment/stations/${AIR}/series?fields=ph`);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('fields');
    const reversed = await officer.get<{ field: string }>(
      `/api/environment/stations/${AIR}/series?from=${now}&to=${now - 1000}`,
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.field).toBe('to');
  });

  it('exports the range as CSV Excel reads (BOM, Vietnamese headers, dd/mm/yyyy HH:mm)', async () => {
    const res = await officer.fetch(
      `/api/environment/stations/${AIR}/series.csv?fields=pm25&from=${now - 6 * 3_600_000}&to=${now}&maxPoints=500`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`${AIR}-`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[2]).toContain('Bụi PM2.5 (µg/m³) trung bình');
    expect(lines[3]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2},\d/);
    expect(lines.length).toBeGreaterThan(60);
  });

  it('lists an alarm raised by a reading over QCVN 08 and acknowledges it with a note, audited', async () => {
    await env.publishWater(2, { ph: 7.0, do: 6.0, nh4: 2.5 });
    let alarm: AlarmWire | undefined;
    await until('alarm listed', async () => {
      const r = await officer.get<{ alarms: AlarmWire[]; available: boolean }>(
        `/api/environment/alarms?status=open&stationId=${WATER}`,
      );
      alarm = r.body.alarms?.find((a) => a.channel === 'nh4');
      return alarm !== undefined;
    });
    if (!alarm) throw new Error('no alarm');
    const operator = await env.stack.login('operator', { areaIds: ['xa-tan-bien'] });
    const hidden = await operator.get<{ alarms: AlarmWire[] }>('/api/environment/alarms?status=open');
    expect(hidden.body.alarms.map((a) => a.stationId)).not.toContain(WATER);
    expect(
      (await operator.post(`/api/environment/alarms/${alarm.id}/acknowledge`, { note: 'x' })).status,
    ).toBe(403);

    const empty = await officer.post<{ field: string }>(`/api/environment/alarms/${alarm.id}/acknowledge`, {
      note: '  ',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('note');
    const acked = await officer.post<AlarmWire>(`/api/environment/alarms/${alarm.id}/acknowledge`, {
      note: 'Đã báo trạm xử lý nước kiểm tra',
    });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'test-environment',
      note: 'Đã báo trạm xử lý nước kiểm tra',
    });
    const again = await officer.post(`/api/environment/alarms/${alarm.id}/acknowledge`, { note: 'again' });
    expect(again.status).toBe(409);
    const listed = await officer.get<{ alarms: AlarmWire[] }>('/api/environment/alarms?status=acknowledged');
    expect(listed.body.alarms.map((a) => a.id)).toContain(alarm.id);
    const ids = async (query: string) =>
      (
        await officer.get<{ alarms: AlarmWire[] }>(`/api/environment/alarms?status=acknowledged&${query}`)
      ).body.alarms.map((a) => a.id);
    expect(await ids('areaId=xa-tan-lap')).toContain(alarm.id);
    expect(await ids('areaId=xa-tan-bien')).not.toContain(alarm.id);
    expect(await ids(`from=${Date.now() + 3_600_000}`)).not.toContain(alarm.id);
    expect(await ids(`from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`)).toContain(alarm.id);
    const badStatus = await officer.get<{ field: string }>('/api/environment/alarms?status=done');
    expect(badStatus.body.field).toBe('status');
    const audit = await (await env.stack.login('admin')).get<{
      entries: { action: string; target: string }[];
    }>('/api/audit?limit=50');
    expect(JSON.stringify(audit.body)).toContain('alarm.acknowledge');
  });

  it('summarises an area: daily VN_AQI, hours over limits, completeness; CSV and print', async () => {
    const day = (t: number) => new Date(t + 7 * 3_600_000).toISOString().slice(0, 10);
    const q = `areaId=xa-tan-bien&from=${day(now - 2 * DAY)}&to=${day(now)}`;
    const res = await officer.get<{
      stations: {
        id: string;
        daily: { date: string; value: number | null }[];
        exceedances: { parameter: string; hours: number }[];
        completeness: { percent: number };
      }[];
    }>(`/api/environment/reports/summary?${q}`);
    expect(res.status).toBe(200);
    const air = res.body.stations.find((s) => s.id === AIR);
    expect(air?.daily).toHaveLength(3);
    expect(air?.daily[1]?.value).toBeGreaterThan(0);
    // PM2.5 swings 20–60 µg/m³, above the 45 µg/m³ limit for part of every day.
    expect(air?.exceedances.find((e) => e.parameter === 'pm25')?.hours).toBeGreaterThan(10);
    expect(air?.completeness.percent).toBeGreaterThan(95);
    const csv = await officer.fetch(`/api/environment/reports/summary/csv?${q}`);
    expect(await csv.text()).toContain('Tỷ lệ đầy đủ (%)');
    const print = await officer.fetch(`/api/environment/reports/summary/print?${q}`);
    expect(print.headers.get('content-type')).toContain('text/html');
    const page = await print.text();
    expect(page).toContain('Báo cáo tổng hợp quan trắc môi trường');
    expect(page).toContain('Trạm không khí Tân Biên');
    const bad = await officer.get<{ field: string }>(
      '/api/environment/reports/summary?areaId=xa-tan-bien&from=2026-13-01&to=2026-11-02',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('from');
  });
});
