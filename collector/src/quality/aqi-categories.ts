/**
 * The six VN_AQI bands, Decision 1459/QĐ-TCMT Section 1.4 Table 1 (names, colours), Table 4 (health effects)
 * and Table 5 (recommended activities). Vietnamese text as the decision words it; English names are ours.
 */
export interface AqiCategory {
  min: number;
  max: number;
  nameVi: string;
  nameEn: string;
  colourVi: string;
  rgb: readonly [number, number, number];
  healthVi: string;
  adviceGeneralVi: string;
  adviceSensitiveVi: string;
}

const STAY_INDOORS =
  'Mọi người nên ở trong nhà, đóng cửa ra vào và cửa sổ. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.';

export const AQI_CATEGORIES: readonly AqiCategory[] = [
  {
    min: 0,
    max: 50,
    nameVi: 'Tốt',
    nameEn: 'Good',
    colourVi: 'Xanh',
    rgb: [0, 228, 0],
    healthVi: 'Chất lượng không khí tốt, không ảnh hưởng tới sức khỏe',
    adviceGeneralVi: 'Tự do thực hiện các hoạt động ngoài trời',
    adviceSensitiveVi: 'Tự do thực hiện các hoạt động ngoài trời',
  },
  {
    min: 51,
    max: 100,
    nameVi: 'Trung bình',
    nameEn: 'Moderate',
    colourVi: 'Vàng',
    rgb: [255, 255, 0],
    healthVi:
      'Chất lượng không khí ở mức chấp nhận được. Tuy nhiên, đối với những người nhạy cảm (người già, trẻ em, người mắc các bệnh hô hấp, tim mạch…) có thể chịu những tác động nhất định tới sức khỏe.',
    adviceGeneralVi: 'Tự do thực hiện các hoạt động ngoài trời',
    adviceSensitiveVi:
      'Nên theo dõi các triệu chứng như ho hoặc khó thở, nhưng vẫn có thể hoạt động bên ngoài.',
  },
  {
    min: 101,
    max: 150,
    nameVi: 'Kém',
    nameEn: 'Poor',
    colourVi: 'Da cam',
    rgb: [255, 126, 0],
    healthVi: 'Những người nhạy cảm gặp phải các vấn đề về sức khỏe, những người bình thường ít ảnh hưởng.',
    adviceGeneralVi:
      'Những người thấy có triệu chứng đau mắt, ho hoặc đau họng… nên cân nhắc giảm các hoạt động ngoài trời. Đối với học sinh, có thể hoạt động bên ngoài, nhưng nên giảm bớt việc tập thể dục kéo dài.',
    adviceSensitiveVi:
      'Nên giảm các hoạt động mạnh và giảm thời gian hoạt động ngoài trời. Những người mắc bệnh hen suyễn có thể cần sử dụng thuốc thường xuyên hơn.',
  },
  {
    min: 151,
    max: 200,
    nameVi: 'Xấu',
    nameEn: 'Bad',
    colourVi: 'Đỏ',
    rgb: [255, 0, 0],
    healthVi:
      'Những người bình thường bắt đầu có các ảnh hưởng tới sức khỏe, nhóm người nhạy cảm có thể gặp những vấn đề sức khỏe nghiêm trọng hơn.',
    adviceGeneralVi:
      'Mọi người nên giảm các hoạt động mạnh khi ở ngoài trời, tránh tập thể dục kéo dài và nghỉ ngơi nhiều hơn trong nhà.',
    adviceSensitiveVi:
      'Nên ở trong nhà và giảm hoạt động mạnh. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
  },
  {
    min: 201,
    max: 300,
    nameVi: 'Rất xấu',
    nameEn: 'Very bad',
    colourVi: 'Tím',
    rgb: [143, 63, 151],
    healthVi: 'Cảnh báo hưởng tới sức khỏe: mọi người bị ảnh hưởng tới sức khỏe nghiêm trọng hơn.',
    adviceGeneralVi:
      'Mọi người hạn chế tối đa các hoạt động ngoài trời và chuyển tất cả các hoạt động vào trong nhà. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
    adviceSensitiveVi: 'Nên ở trong nhà và giảm hoạt động mạnh.',
  },
  {
    min: 301,
    max: 500,
    nameVi: 'Nguy hại',
    nameEn: 'Hazardous',
    colourVi: 'Nâu',
    rgb: [126, 0, 35],
    healthVi: 'Cảnh báo khẩn cấp về sức khỏe: Toàn bộ dân số bị ảnh hưởng tới sức khỏe tới mức nghiêm trọng.',
    adviceGeneralVi: STAY_INDOORS,
    adviceSensitiveVi: STAY_INDOORS,
  },
];

/** Band of an integer VN_AQI (the published value is always rounded, so the bands have no gaps). */
export function aqiCategory(aqi: number): AqiCategory {
  if (!Number.isInteger(aqi) || aqi < 0 || aqi > 500) {
    throw new RangeError(`VN_AQI must be an integer in 0…500, got ${aqi}`);
  }
  const found = AQI_CATEGORIES.find((c) => aqi >= c.min && aqi <= c.max);
  if (!found) throw new RangeError(`no VN_AQI band for ${aqi}`);
  return found;
}

export function rgbHex(rgb: readonly [number, number, number]): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
