import { describe, expect, it } from 'vitest';
import { csvLine, localMinute, seriesCsv, summaryCsv } from '../../../console/src/environment/csv.js';

const AT = Date.UTC(2026, 10, 30, 17, 5); // 01/12/2026 00:05 in Vietnam

describe('environment CSV', () => {
  it('writes Vietnamese local minutes, dd/mm/yyyy HH:mm', () => {
    expect(localMinute(AT)).toBe('01/12/2026 00:05');
  });

  it('quotes what needs quoting and defuses spreadsheet formulas, keeping negative numbers', () => {
    expect(csvLine(['a,b', 'say "hi"', '=SUM(A1)', '+1', '@x', '-cmd', -2.5, null])).toBe(
      `"a,b","say ""hi""",'=SUM(A1),'+1,'@x,'-cmd,-2.5,`,
    );
  });

  it('exports a series with a BOM, unit-labelled mean/min/max columns and CRLF lines', () => {
    const csv = seriesCsv(
      { id: 'tn-air-01', name: 'Trung tâm xã', kind: 'air' },
      {
        from: AT,
        to: AT + 600_000,
        intervalMs: 300_000,
        resolution: 'rollup_5m',
        times: [AT, AT + 300_000],
        fields: [{ field: 'pm25', mean: [12.3456, null], min: [10, null], max: [15, null] }],
      },
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('Trạm quan trắc: Trung tâm xã (tn-air-01)');
    expect(lines[1]).toContain('mỗi dòng 5 phút');
    expect(lines[2]).toBe(
      'Thời gian (giờ Việt Nam),Bụi PM2.5 (µg/m³) trung bình,Bụi PM2.5 (µg/m³) nhỏ nhất,Bụi PM2.5 (µg/m³) lớn nhất',
    );
    expect(lines[3]).toBe('01/12/2026 00:05,12.346,10,15');
    expect(lines[4]).toBe('01/12/2026 00:10,,,');
  });

  it('exports the summary: daily index, hours over limits, completeness', () => {
    const csv = summaryCsv({
      areaId: 'x',
      areaName: 'Xã Tân Biên',
      from: AT,
      to: AT + 86_400_000,
      generatedAt: AT,
      stations: [
        {
          id: 'tn-air-01',
          name: 'Trung tâm',
          kind: 'air',
          index: 'aqi',
          daily: [{ date: '2026-12-01', value: 72, category: 'Trung bình', colour: '#ffff00' }],
          exceedances: [
            {
              parameter: 'pm25',
              nameVi: 'Bụi PM2.5',
              nameEn: 'PM2.5',
              unit: 'µg/m³',
              standard: 'QCVN 05:2023/BTNMT',
              averaging: '24h',
              limit: 45,
              comparison: 'max',
              hours: 3,
              hoursWithData: 24,
            },
          ],
          completeness: { expectedHours: 24, hoursWithData: 24, percent: 100 },
        },
      ],
    });
    expect(csv).toContain('Trung tâm,tn-air-01,01/12/2026,VN_AQI,72,Trung bình,');
    expect(csv).toContain(
      'Trung tâm,tn-air-01,Bụi PM2.5,µg/m³,QCVN 05:2023/BTNMT (trung bình 24 giờ),≤ 45,3,24',
    );
    expect(csv).toContain('Trung tâm,tn-air-01,24,24,100');
  });
});
