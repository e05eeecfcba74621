import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type QrCode,
  byteCapacity,
  codewords,
  encodeQr,
  formatBits,
  versionBits,
} from '../../../console/web/qr/qr-code.js';
import { reedSolomon } from '../../../console/web/qr/reed-solomon.js';
import { ensurePackage, tempDir } from '../../harness/index.js';

const run = promisify(execFile);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** An 8-bit greyscale PNG of the symbol, `scale` pixels a module, 4 modules of quiet zone. */
function png(qr: QrCode, scale = 4): Buffer {
  const side = (qr.size + 8) * scale;
  const rows: Buffer[] = [];
  for (let py = 0; py < side; py++) {
    const row = Buffer.alloc(side + 1, 255);
    row[0] = 0;
    for (let px = 0; px < side; px++) {
      const x = Math.floor(px / scale) - 4;
      const y = Math.floor(py / scale) - 4;
      if (qr.modules[y]?.[x]) row[px + 1] = 0;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('QR encoder tables (known vectors from ISO/IEC 18004)', () => {
  it('computes the Reed-Solomon codewords of the standard 1-M "HELLO WORLD" example', () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('has the format strings of level M from the standard table', () => {
    const table = [
      '101010000010010',
      '101000100100101',
      '101111001111100',
      '101101101001011',
      '100010111111001',
      '100000011001110',
      '100111110010111',
      '100101010100000',
    ];
    expect(table.map((_, mask) => formatBits(mask).toString(2).padStart(15, '0'))).toEqual(table);
  });

  it('has the version information strings of versions 7 and 10', () => {
    expect(versionBits(7).toString(2).padStart(18, '0')).toBe('000111110010010100');
    expect(versionBits(10).toString(2).padStart(18, '0')).toBe('001010010011010011');
  });

  it('has the byte-mode capacities of level M for versions 1–10', () => {
    expect(Array.from({ length: 10 }, (_, i) => byteCapacity(i + 1))).toEqual([
      14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
    ]);
  });

  it('pads with 0xEC 0x11 and appends the EC codewords (1-M: 16 data + 10 EC)', () => {
    const words = codewords(new TextEncoder().encode('A'), 1);
    expect(words).toHaveLength(26);
    expect(words.slice(0, 5)).toEqual([0x40, 0x14, 0x10, 0xec, 0x11]);
  });

  it('refuses text longer than version 10 holds', () => {
    expect(() => encodeQr('x'.repeat(214))).toThrow(/too many/);
  });
});

describe('QR symbols decode with zbarimg', () => {
  let dir: string;
  let zbarimg: string;
  beforeAll(async () => {
    zbarimg = await ensurePackage('zbar-tools', '/usr/bin/zbarimg');
    dir = await tempDir('xs-qr-test');
  });
  afterAll(async () => {
    const { rm } = await import('node:fs/promises');
    await rm(dir, { recursive: true, force: true });
  });

  const cases = [
    'K7Q2-M9XD',
    'xaso-enroll:loa-tan-bien-01:9f8e7d6c5b4a39281706',
    'https://console.xaso.example/enroll?device=loa-ap-thanh-binh-02&code=ABCD-EFGH-IJKL-MNOP',
    'Xã Tân Biên – cụm loa chợ',
    'x'.repeat(150),
    `code:${'0123456789'.repeat(20)}`,
  ];
  it.each(cases)('round-trips %#', async (text) => {
    const qr = encodeQr(text);
    const file = join(dir, `qr-${qr.version}-${text.length}.png`);
    await writeFile(file, png(qr));
    const { stdout } = await run(zbarimg, ['--raw', '-q', '-Sbinary', file]);
    expect(stdout.replace(/\n$/, '')).toBe(text);
  });

  it('covers versions 1 to 10 across those cases', () => {
    const versions = cases.map((t) => encodeQr(t).version);
    expect(Math.min(...versions)).toBe(1);
    expect(Math.max(...versions)).toBe(10);
  });
});
