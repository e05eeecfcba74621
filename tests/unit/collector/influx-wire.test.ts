import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from '../../../collector/src/outbox/backoff.js';
import { parseRetryAfter, writeFailure } from '../../../collector/src/store/influx/http-failure.js';
import { latestQuery, rangeQuery } from '../../../collector/src/store/influx/influxql.js';
import { toLine } from '../../../collector/src/store/influx/line-protocol.js';
import { SeriesQuerySchema } from '../../../collector/src/store/types.js';

describe('line protocol and InfluxQL', () => {
  it('escapes tags, sorts them and writes ms timestamps', () => {
    const line = toLine({
      measurement: 'air',
      tags: { source: 'a,b c', device: 'st=1' },
      fields: { pm25: 12.5, 'bad field': 1, nan: Number.NaN },
      time: 1700000000123,
    });
    expect(line).toBe('air,device=st\\=1,source=a\\,b\\ c pm25=12.5,bad\\ field=1 1700000000123');
  });

  it('leaves out a point without finite fields', () => {
    expect(
      toLine({ measurement: 'air', tags: {}, fields: { x: Number.POSITIVE_INFINITY }, time: 1 }),
    ).toBeNull();
  });

  it('builds a downsampled range query and switches to the CQ rollup for long ranges', () => {
    const q = SeriesQuerySchema.parse({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: "o'neil" },
      from: 0,
      to: 86_400_000,
      maxPoints: 1440,
    });
    expect(rangeQuery(q, { retentionPolicy: '"x"."long"', widthMs: 3_600_000 }).text).toBe(
      `SELECT mean("pm25") AS "pm25" FROM "air" WHERE time >= 0ms AND time < 86400000ms AND "device" = 'o\\'neil' GROUP BY time(60000ms), * fill(none)`,
    );
    const year = SeriesQuerySchema.parse({ ...q, to: 365 * 86_400_000, maxPoints: 365, aggregate: 'count' });
    const r = rangeQuery(year, { retentionPolicy: '"x"."long"', widthMs: 3_600_000 });
    expect(r.text).toContain('sum("count_pm25") AS "pm25" FROM "x"."long"."air"');
    expect(r.intervalMs).toBe(86_400_000);
    expect(latestQuery('air', ['pm10'], {})).toBe('SELECT last("pm10") AS "pm10" FROM "air" GROUP BY *');
  });
});

describe('retry decisions', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')),
    ).toBe(5000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });

  it('retries 429/5xx/404 and not other 4xx', () => {
    expect(writeFailure(429, '', '2')).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(writeFailure(503, '', null).retryable).toBe(true);
    expect(writeFailure(404, 'database not found', null).retryable).toBe(true);
    expect(writeFailure(400, 'partial write: field type conflict', null).retryable).toBe(false);
  });

  it('grows the back-off exponentially within [half, full] of the ceiling, capped, and lets Retry-After win', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(30, 100, 10_000, () => 1)).toBe(10_000);
    expect(retryDelay(1, 7000, 100, 1000, () => 0)).toBe(7000);
  });
});
