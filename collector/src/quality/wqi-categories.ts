/** The six VN_WQI bands, Decision 1460/QĐ-TCMT Section 1.4 Table 1 (names, colours, suitable use). */
export interface WqiCategory {
  min: number;
  max: number;
  nameVi: string;
  nameEn: string;
  colourVi: string;
  rgb: readonly [number, number, number];
  useVi: string;
}

export const WQI_CATEGORIES: readonly WqiCategory[] = [
  {
    min: 91,
    max: 100,
    nameVi: 'Rất tốt',
    nameEn: 'Very good',
    colourVi: 'Xanh nước biển',
    rgb: [51, 51, 255],
    useVi: 'Sử dụng tốt cho mục đích cấp nước sinh hoạt',
  },
  {
    min: 76,
    max: 90,
    nameVi: 'Tốt',
    nameEn: 'Good',
    colourVi: 'Xanh lá cây',
    rgb: [0, 228, 0],
    useVi: 'Sử dụng cho mục đích cấp nước sinh hoạt nhưng cần các biện pháp xử lý phù hợp',
  },
  {
    min: 51,
    max: 75,
    nameVi: 'Trung bình',
    nameEn: 'Medium',
    colourVi: 'Vàng',
    rgb: [255, 255, 0],
    useVi: 'Sử dụng cho mục đích tưới tiêu và các mục đích tương đương khác',
  },
  {
    min: 26,
    max: 50,
    nameVi: 'Xấu',
    nameEn: 'Bad',
    colourVi: 'Da cam',
    rgb: [255, 126, 0],
    useVi: 'Sử dụng cho giao thông thủy và các mục đích tương đương khác',
  },
  {
    min: 10,
    max: 25,
    nameVi: 'Kém',
    nameEn: 'Poor',
    colourVi: 'Đỏ',
    rgb: [255, 0, 0],
    useVi: 'Nước ô nhiễm nặng, cần các biện pháp xử lý trong tương lai',
  },
  {
    min: 0,
    max: 9,
    nameVi: 'Ô nhiễm rất nặng',
    nameEn: 'Heavily polluted',
    colourVi: 'Nâu',
    rgb: [126, 0, 35],
    useVi: 'Nước nhiễm độc, cần có biện pháp khắc phục, xử lý',
  },
];

export function wqiCategory(wqi: number): WqiCategory {
  if (!Number.isInteger(wqi) || wqi < 0 || wqi > 100) {
    throw new RangeError(`VN_WQI must be an integer in 0…100, got ${wqi}`);
  }
  const found = WQI_CATEGORIES.find((c) => wqi >= c.min && wqi <= c.max);
  if (!found) throw new RangeError(`no VN_WQI band for ${wqi}`);
  return found;
}
