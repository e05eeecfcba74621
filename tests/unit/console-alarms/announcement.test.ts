import { AlarmSchema } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { announcementFor } from '../../../console/src/alarms/announcement.js';

const base = {
  v: 1,
  id: 'a1',
  stationId: 'wq-song-vam-co',
  ruleId: 'r',
  state: 'raised',
  severity: 'warning',
  ts: 1_700_000_000_000,
  message: 'Vượt ngưỡng',
} as const;

describe('announcementFor', () => {
  it('names the pollutant, the measured value and the limit with its standard, in Vietnamese words', () => {
    const text = announcementFor(
      AlarmSchema.parse({
        ...base,
        channel: 'pm25',
        value: 87.44,
        limit: 50,
        unit: 'µg/m³',
        standard: 'QCVN 05:2023/BTNMT',
      }),
      'Xã Tân Biên',
    );
    expect(text).toBe(
      'Cảnh báo ô nhiễm không khí tại Xã Tân Biên. Bụi mịn PM2.5 đo được 87 phẩy 4 microgam trên mét khối, ' +
        'vượt giới hạn 50 microgam trên mét khối theo QCVN 05 năm 2023/BTNMT. ' +
        'Đề nghị bà con hạn chế ra ngoài, đeo khẩu trang và theo dõi thông báo tiếp theo.',
    );
  });

  it('speaks of water for water channels and falls back to the alarm message without a value', () => {
    const text = announcementFor(AlarmSchema.parse({ ...base, channel: 'ph' }), 'Xã Tân Lập');
    expect(text).toContain('Cảnh báo ô nhiễm nguồn nước tại Xã Tân Lập. Vượt ngưỡng.');
    expect(text).toContain('tạm ngừng sử dụng nước');
  });

  it('accepts alarms from collectors that do not send autoBroadcast (the field is optional)', () => {
    expect(AlarmSchema.parse(base).autoBroadcast).toBeUndefined();
  });
});
