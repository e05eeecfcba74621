/**
 * NowCast for PM2.5 and PM10, Decision 1459/QĐ-TCMT Section 2.2.1.a.
 * c[0] is c1 (the current hour's 1-hour average), c[11] is c12 (eleven hours earlier); null = no data.
 */
export const NOWCAST_HOURS = 12;

export type NowcastResult =
  | { ok: true; value: number; wStar: number; w: number; hoursUsed: number }
  | { ok: false; reason: string };

export function nowcast(c: readonly (number | null)[]): NowcastResult {
  if (c.length !== NOWCAST_HOURS) {
    throw new RangeError(
      `NowCast needs exactly ${NOWCAST_HOURS} hourly slots (null for missing), got ${c.length}`,
    );
  }
  for (const v of c) {
    if (v !== null && (!Number.isFinite(v) || v < 0)) {
      throw new RangeError(`NowCast inputs must be finite and ≥ 0, got ${v}`);
    }
  }
  // "Nếu có ít nhất 2 trong 3 giá trị c1, c2, c3 có dữ liệu thì mới tính được giá trị Nowcast".
  const recent = c.slice(0, 3).filter((v) => v !== null).length;
  if (recent < 2) {
    return { ok: false, reason: `too few hours in the last 3 for NowCast (${recent} of 3, need 2)` };
  }
  const present = c.filter((v): v is number => v !== null);
  const cMin = Math.min(...present);
  const cMax = Math.max(...present);
  // All-zero window: w* is 0/0; every weighting gives NowCast 0, so take w = 1.
  const wStar = cMax === 0 ? 1 : cMin / cMax;
  const w = wStar <= 0.5 ? 0.5 : wStar;
  // "Nếu ci không có giá trị thì lấy w^(i−1) = 0": missing hours drop out of numerator and denominator.
  let num = 0;
  let den = 0;
  c.forEach((v, i) => {
    if (v === null) return;
    const weight = w ** i;
    num += weight * v;
    den += weight;
  });
  return { ok: true, value: num / den, wStar, w, hoursUsed: present.length };
}
