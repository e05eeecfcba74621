import type { InformationSourceConfig } from './config.js';

/** Thrown for a transport failure or an answer that says "try later" (5xx, 408, 429). */
export class ProvinceUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** The province understood the request and refused it (other 4xx): retrying the same bytes won't help soon. */
export class ProvinceRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function retryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** HTTP to the provincial API with our credentials and a timeout on every request. */
export class ProvincialClient {
  private readonly base: string;

  constructor(private readonly config: InformationSourceConfig) {
    this.base = config.url.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'X-System-Code': this.config.systemCode, ...extra };
    if (this.config.token) h.Authorization = `Bearer ${this.config.token}`;
    else if (this.config.username !== undefined && this.config.password !== undefined) {
      const basic = Buffer.from(`${this.config.username}:${this.config.password}`).toString('base64');
      h.Authorization = `Basic ${basic}`;
    }
    return h;
  }

  /** Absolute URLs (bulletin audio) get our credentials only when they are on the province's host. */
  private resolve(pathOrUrl: string): { url: string; ours: boolean } {
    if (/^https?:\/\//.test(pathOrUrl)) {
      return { url: pathOrUrl, ours: new URL(pathOrUrl).host === new URL(this.base).host };
    }
    return { url: `${this.base}${pathOrUrl}`, ours: true };
  }

  private async request(method: string, pathOrUrl: string, body?: string): Promise<Response> {
    const { url, ours } = this.resolve(pathOrUrl);
    const headers = ours ? this.headers() : {};
    if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
    } catch (err) {
      throw new ProvinceUnavailableError(`${method} ${url}: ${(err as Error).message}`);
    }
    if (res.ok) return res;
    const text = (await res.text().catch(() => '')).slice(0, 300);
    const message = `${method} ${url}: HTTP ${res.status} ${text}`.trim();
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      throw new ProvinceUnavailableError(message, retryAfter(res.headers.get('retry-after')));
    }
    throw new ProvinceRefusedError(res.status, message);
  }

  async send(method: 'PUT' | 'POST', path: string, body: string): Promise<void> {
    const res = await this.request(method, path, body);
    await res.arrayBuffer();
  }

  async getJson(path: string): Promise<unknown> {
    const res = await this.request('GET', path);
    try {
      return await res.json();
    } catch (err) {
      throw new ProvinceRefusedError(
        res.status,
        `GET ${path}: answer is not JSON (${(err as Error).message})`,
      );
    }
  }

  /** Downloads a file with a size cap, refusing as soon as the cap is passed. */
  async download(url: string, maxBytes: number): Promise<Buffer> {
    const res = await this.request('GET', url);
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) throw new ProvinceRefusedError(413, `${url}: ${declared} bytes > ${maxBytes}`);
    const chunks: Buffer[] = [];
    let size = 0;
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      size += part.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new ProvinceRefusedError(413, `${url}: more than ${maxBytes} bytes`);
      }
      chunks.push(Buffer.from(part.value));
    }
    return Buffer.concat(chunks);
  }
}
