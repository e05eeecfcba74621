import { request as httpRequest } from 'node:http';

/** GET with the given Accept-Encoding, returning the bytes as sent on the wire (not decompressed). */
export function rawGet(
  url: string,
  encoding: string,
): Promise<{ status: number; headers: Record<string, string>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          bytes,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
