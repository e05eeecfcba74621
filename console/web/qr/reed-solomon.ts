/** GF(256) arithmetic with the QR code's primitive polynomial x^8 + x^4 + x^3 + x^2 + 1. */
function multiply(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

/** Coefficients of the generator polynomial (x - α^0)…(x - α^(degree-1)), highest term dropped. */
function divisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      result[j] = multiply(result[j] ?? 0, root);
      if (j + 1 < degree) result[j] = (result[j] ?? 0) ^ (result[j + 1] ?? 0);
    }
    root = multiply(root, 0x02);
  }
  return result;
}

/** The error-correction codewords of one block: the remainder of data·x^ecLen divided by the generator. */
export function reedSolomon(data: readonly number[], ecLen: number): number[] {
  const gen = divisor(ecLen);
  const result = new Array<number>(ecLen).fill(0);
  for (const b of data) {
    const factor = b ^ (result.shift() ?? 0);
    result.push(0);
    for (let i = 0; i < ecLen; i++) result[i] = (result[i] ?? 0) ^ multiply(gen[i] ?? 0, factor);
  }
  return result;
}
