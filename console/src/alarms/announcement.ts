import type { Alarm } from '@xaso/device-profiles/contract';

/** How the measured quantities are said aloud; unknown channels are read by their name. */
const CHANNEL_NAMES: Record<string, { name: string; medium: 'air' | 'water' }> = {
  pm25: { name: 'bụi mịn PM2.5', medium: 'air' },
  pm10: { name: 'bụi PM10', medium: 'air' },
  tsp: { name: 'bụi tổng', medium: 'air' },
  so2: { name: 'khí SO2', medium: 'air' },
  no2: { name: 'khí NO2', medium: 'air' },
  co: { name: 'khí CO', medium: 'air' },
  o3: { name: 'khí ô dôn', medium: 'air' },
  aqi: { name: 'chỉ số chất lượng không khí', medium: 'air' },
  ph: { name: 'độ pH', medium: 'water' },
  do: { name: 'ô xy hòa tan', medium: 'water' },
  cod: { name: 'chỉ số COD', medium: 'water' },
  bod5: { name: 'chỉ số BOD5', medium: 'water' },
  tss: { name: 'chất rắn lơ lửng', medium: 'water' },
  nh4: { name: 'amoni', medium: 'water' },
  turbidity: { name: 'độ đục', medium: 'water' },
};

const UNIT_WORDS: Partial<Record<NonNullable<Alarm['unit']>, string>> = {
  'µg/m³': 'microgam trên mét khối',
  'mg/m³': 'miligam trên mét khối',
  'mg/L': 'miligam trên lít',
  ppm: 'phần triệu',
  ppb: 'phần tỷ',
  NTU: 'NTU',
  '°C': 'độ C',
  '%': 'phần trăm',
};

/** Vietnamese reads a decimal comma as "phẩy"; speech engines read "12.5" as a date or a list. */
function spoken(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return String(rounded).replace('-', 'âm ').replace('.', ' phẩy ');
}

/** The warning read out over the commune's loudspeakers for a raised alarm. */
export function announcementFor(alarm: Alarm, communeName: string): string {
  const known = alarm.channel ? CHANNEL_NAMES[alarm.channel.toLowerCase()] : undefined;
  const what = known?.name ?? (alarm.channel ? `chỉ tiêu ${alarm.channel}` : undefined);
  const topic =
    known?.medium === 'water'
      ? 'Cảnh báo ô nhiễm nguồn nước'
      : known?.medium === 'air'
        ? 'Cảnh báo ô nhiễm không khí'
        : 'Cảnh báo môi trường';
  const unit = alarm.unit ? ` ${UNIT_WORDS[alarm.unit] ?? alarm.unit}` : '';
  const parts = [`${topic} tại ${communeName}.`];
  if (what && alarm.value !== undefined && alarm.limit !== undefined) {
    const standard = alarm.standard ? ` theo ${alarm.standard.replace(':', ' năm ')}` : '';
    parts.push(
      `${what.charAt(0).toUpperCase()}${what.slice(1)} đo được ${spoken(alarm.value)}${unit}, vượt giới hạn ${spoken(alarm.limit)}${unit}${standard}.`,
    );
  } else if (alarm.message) {
    parts.push(`${alarm.message}.`);
  }
  parts.push(
    known?.medium === 'water'
      ? 'Đề nghị bà con tạm ngừng sử dụng nước sông, kênh cho sinh hoạt và theo dõi thông báo tiếp theo.'
      : 'Đề nghị bà con hạn chế ra ngoài, đeo khẩu trang và theo dõi thông báo tiếp theo.',
  );
  return parts.join(' ');
}
