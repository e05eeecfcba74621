import { describe, expect, it } from 'vitest';
import { buildBroadcastLog } from '../../../console/src/reports/broadcast-log.js';
import type { BroadcastRecordSource } from '../../../console/src/reports/broadcast-records.js';
import { broadcastLogCsv } from '../../../console/src/reports/csv.js';
import { broadcastLogHtml } from '../../../console/src/reports/html.js';
import { formatDateTime, localDayStart } from '../../../console/src/reports/local-time.js';
import type { PlaybackBody, PlaybackEvent } from '../../../console/src/reports/playback-source.js';

// 30/11/2026 06:00:00 in Vietnam is 29/11/2026 23:00:00 UTC: the local day differs from the UTC one.
const DAY = localDayStart('2026-11-30');
const at = (h: number, m = 0, s = 0) => DAY + ((h * 60 + m) * 60 + s) * 1000;

let seq = 0;
function ev(deviceId: string, ts: number, body: Omit<PlaybackBody, 'kind'>): PlaybackEvent {
  seq++;
  return { deviceId, seq, ts, receivedAt: ts + 5, body: { kind: 'playback', ...body } };
}

const records: BroadcastRecordSource = {
  lookup: (ids) =>
    new Map(
      ids
        .filter((id) => id === 'sch-sang')
        .map((id) => [
          id,
          { id, title: 'Bản tin sáng, "Thời sự"', requestedBy: 'Nguyễn Văn An', approvedBy: 'Trần Thị Bình' },
        ]),
    ),
};

const clusters = [
  { id: 'loa-01', name: 'Cụm loa Ấp Thạnh Bình', areaId: 'ap-thanh-binh', areaName: 'Ấp Thạnh Bình' },
  { id: 'loa-02', name: 'Cụm loa chợ', areaId: 'xa-tan-bien', areaName: 'Xã Tân Biên' },
];

function events(): PlaybackEvent[] {
  const sched = {
    broadcastId: 'sch-sang',
    priority: 'normal' as const,
    scheduleVersion: 3,
    entryId: 'sch-sang',
  };
  return [
    ev('loa-01', at(6), { ...sched, phase: 'start', scheduledAt: at(6) }),
    ev('loa-01', at(6, 10), { ...sched, phase: 'end', scheduledAt: at(6), durationMs: 600_000 }),
    ev('loa-02', at(6, 0, 1), { ...sched, phase: 'start', scheduledAt: at(6) }),
    ev('loa-02', at(6, 3), {
      ...sched,
      phase: 'interrupted',
      scheduledAt: at(6),
      durationMs: 179_000,
      reason: 'bị ngắt bởi phát khẩn cấp',
    }),
    ev('loa-02', at(17), {
      ...sched,
      phase: 'missed',
      scheduledAt: at(17),
      reason: 'mất kết nối, quá giờ phát',
    }),
    ev('loa-01', at(17), { ...sched, phase: 'failed', scheduledAt: at(17), reason: '=thiếu tệp âm thanh' }),
    // An emergency command on the next local day (00:30 on 01/12 in Vietnam, still 30/11 in UTC).
    ev('loa-01', at(24, 30), { broadcastId: 'bc-khan', priority: 'emergency', phase: 'start' }),
    ev('loa-01', at(24, 31), {
      broadcastId: 'bc-khan',
      priority: 'emergency',
      phase: 'end',
      durationMs: 60_000,
    }),
    // Outside the period: must not appear.
    ev('loa-01', at(48, 1), { broadcastId: 'bc-sau', priority: 'normal', phase: 'start' }),
  ];
}

function build() {
  return buildBroadcastLog({
    areaId: 'xa-tan-bien',
    areaName: 'Xã Tân Biên',
    from: DAY,
    to: DAY + 2 * 86_400_000,
    clusters,
    events: events(),
    broadcasts: records,
    titleOfAudio: () => undefined,
    now: at(25),
  });
}

describe('broadcast log', () => {
  it('pairs starts with their ends and keeps failures, misses and interruptions with reasons', () => {
    const log = build();
    expect(log.rows.map((r) => [r.clusterId, r.outcome, r.durationMs])).toEqual([
      ['loa-01', 'played', 600_000],
      ['loa-02', 'interrupted', 179_000],
      ['loa-01', 'failed', 0],
      ['loa-02', 'missed', 0],
      ['loa-01', 'played', 60_000],
    ]);
    const first = log.rows[0];
    expect(first?.title).toBe('Bản tin sáng, "Thời sự"');
    expect(first?.requestedBy).toBe('Nguyễn Văn An');
    expect(first?.approvedBy).toBe('Trần Thị Bình');
    expect(log.rows[3]?.reason).toBe('mất kết nối, quá giờ phát');
    expect(log.rows[4]?.title).toBe('bc-khan');
  });

  it('totals per cluster and per local (Vietnamese) day', () => {
    const log = build();
    const c1 = log.perCluster.find((t) => t.key === 'loa-01');
    expect(c1).toMatchObject({ played: 2, failed: 1, playedMs: 660_000 });
    const c2 = log.perCluster.find((t) => t.key === 'loa-02');
    expect(c2).toMatchObject({ played: 0, interrupted: 1, missed: 1, playedMs: 179_000 });
    expect(log.perDay.map((d) => [d.key, d.played, d.failed, d.missed, d.interrupted])).toEqual([
      ['2026-11-30', 1, 1, 1, 1],
      ['2026-12-01', 1, 0, 0, 0],
    ]);
    expect(log.total).toMatchObject({ played: 2, interrupted: 1, failed: 1, missed: 1, playedMs: 839_000 });
  });

  it('exports CSV with a BOM, Vietnamese text intact, dd/mm/yyyy and 24-hour local times', () => {
    const csv = broadcastLogCsv(build());
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('Nhật ký phát thanh: Xã Tân Biên');
    expect(lines[1]).toBe('Từ ngày 30/11/2026 đến ngày 01/12/2026');
    expect(lines[2]?.startsWith('Ngày,Giờ bắt đầu,Giờ kết thúc,Thời lượng,Cụm loa')).toBe(true);
    expect(lines[3]).toBe(
      '30/11/2026,06:00:00,06:10:00,10:00,Cụm loa Ấp Thạnh Bình,loa-01,Ấp Thạnh Bình,' +
        '"Bản tin sáng, ""Thời sự""",Thông thường,30/11/2026 06:00:00,Đã phát,,Nguyễn Văn An,Trần Thị Bình,sch-sang',
    );
    // A reason starting with "=" must not become a spreadsheet formula.
    expect(csv).toContain(",Lỗi,'=thiếu tệp âm thanh,");
    expect(csv).toContain('01/12/2026,00:30:00,00:31:00,1:00,Cụm loa Ấp Thạnh Bình');
    expect(csv).toContain('Khẩn cấp');
    // Air time counts the interrupted play too (2:59 of it).
    expect(csv).toContain('30/11/2026,1,12:59,1,1,1,0');
    expect(csv).toContain('Tổng cộng,2,13:59,1,1,1,0');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('renders a printable Vietnamese page with escaped content', () => {
    const html = broadcastLogHtml(build());
    expect(html).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('Báo cáo hoạt động đài truyền thanh cơ sở');
    expect(html).toContain('Từ ngày 30/11/2026 đến ngày 01/12/2026');
    expect(html).toContain('<td>Bản tin sáng, &quot;Thời sự&quot;</td>');
    expect(html).toContain('<td>bị ngắt bởi phát khẩn cấp</td>');
    expect(html).toContain('@media print');
    expect(html).toContain(`Lập lúc ${formatDateTime(at(25))}`);
    expect(html).not.toContain('"Thời sự"');
  });

  it('shows a start with no end yet as not finished, and a playlist as one row per item', () => {
    const cmd = { broadcastId: 'bc-list', priority: 'priority' as const, commandId: crypto.randomUUID() };
    const log = buildBroadcastLog({
      areaId: 'xa-tan-bien',
      areaName: 'Xã Tân Biên',
      from: DAY,
      to: DAY + 86_400_000,
      clusters,
      events: [
        ev('loa-02', at(9), { ...cmd, phase: 'start', audioId: 'a'.repeat(64) }),
        ev('loa-02', at(9, 1), { ...cmd, phase: 'end', audioId: 'a'.repeat(64) }),
        ev('loa-02', at(9, 1), { ...cmd, phase: 'start', audioId: 'b'.repeat(64) }),
      ],
      broadcasts: records,
      titleOfAudio: (id) => (id.startsWith('a') ? 'Bài một' : 'Bài hai'),
      now: at(10),
    });
    expect(log.rows.map((r) => [r.title, r.outcome, r.durationMs, r.endedAt])).toEqual([
      ['Bài một', 'played', 60_000, at(9, 1)],
      ['Bài hai', 'incomplete', 0, null],
    ]);
    expect(log.total).toMatchObject({ played: 1, incomplete: 1 });
    expect(broadcastLogCsv(log)).toContain('Chưa ghi nhận kết thúc');
  });

  it('formats times in Asia/Ho_Chi_Minh regardless of the machine zone', () => {
    expect(formatDateTime(Date.UTC(2026, 10, 29, 23, 0, 0))).toBe('30/11/2026 06:00:00');
    expect(formatDateTime(Date.UTC(2026, 11, 31, 17, 59, 59))).toBe('01/01/2027 00:59:59');
  });
});
