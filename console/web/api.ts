import type { z } from 'zod';
import type { AreaSchema } from '../src/areas/area-schemas.js';
import type { AudioListSchema, AudioResultSchema } from '../src/audio/api-schemas.js';
import type { DeviceState } from '../src/devices/device-query.js';
import type { DeviceView } from '../src/devices/device-schemas.js';
import type { DeviceSummary } from '../src/devices/device-summary.js';
import type { UserView } from '../src/users/user-schemas.js';
import { isMessageKey, t } from './i18n/locale.js';

/** The server's error body: `{ error, message, field? }` on every 4xx/5xx. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly field?: string,
  ) {
    super(`${status} ${code}: ${serverMessage}`);
  }

  /** What the user reads: the code in their language, naming the field when the server named one. */
  localized(): string {
    const codeKey = `error.${this.code}`;
    const reason = isMessageKey(codeKey) ? t(codeKey) : t('error.generic', { message: this.serverMessage });
    if (!this.field) return reason;
    const fieldKey = `field.${this.field}`;
    const field = isMessageKey(fieldKey) ? t(fieldKey) : this.field;
    const detail = this.serverMessage.replace(new RegExp(`^${this.field}:\\s*`), '');
    return `${t('error.field', { field, reason })} (${detail})`;
  }
}

export const NETWORK_ERROR = 'network';
export const UPLOAD_INTERRUPTED = 'upload-interrupted';

export function errorText(err: unknown): string {
  if (err instanceof ApiError && err.status === 0)
    return err.code === UPLOAD_INTERRUPTED ? t('error.upload-interrupted') : t('error.network');
  if (err instanceof ApiError) return err.localized();
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { error?: unknown }).error === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

export function toApiError(status: number, body: unknown, fallback: string): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.error, body.message, body.field);
  return new ApiError(status, status === 413 ? 'too-large' : 'http', fallback);
}

export interface SignedIn {
  user: UserView;
  csrfToken: string;
  expiresAt: number;
}
// Types only: the server's zod schemas describe the wire, and none of their code reaches the bundle.
export type AudioList = z.infer<typeof AudioListSchema>;
export type AudioResult = z.infer<typeof AudioResultSchema>;
export type AudioItem = AudioList['items'][number];
export type Area = z.infer<typeof AreaSchema>;
export type { UserView, DeviceView, DeviceSummary, DeviceState };

export interface DeviceListQuery {
  limit?: number;
  cursor?: string;
  area?: string;
  kind?: DeviceView['role'];
  state?: DeviceState;
  q?: string;
}

export interface DevicePage {
  items: DeviceView[];
  nextCursor: string | null;
  total: number;
}
export interface EnrollmentCode {
  deviceId: string;
  code: string;
  expiresAt: number;
}

/** Called when the server says the session is gone, so the shell can show the sign-in page. */
type SessionLost = () => void;

/** fetch with the session cookie (same origin) and the CSRF header the server expects on writes. */
export class ApiClient {
  csrfToken: string | undefined;
  onSessionLost: SessionLost | undefined;

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new ApiError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (text && res.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
    if (!res.ok) {
      const error = toApiError(res.status, parsed, res.statusText);
      if (res.status === 401 && path !== '/api/auth/login') this.onSessionLost?.();
      throw error;
    }
    return parsed as T;
  }

  async login(username: string, password: string): Promise<SignedIn> {
    const signed = await this.request<SignedIn>('POST', '/api/auth/login', { username, password });
    this.csrfToken = signed.csrfToken;
    return signed;
  }

  /** The current session, or undefined when signed out. */
  async me(): Promise<SignedIn | undefined> {
    try {
      const signed = await this.request<SignedIn>('GET', '/api/auth/me');
      this.csrfToken = signed.csrfToken;
      return signed;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return undefined;
      throw err;
    }
  }

  async logout(): Promise<void> {
    await this.request('POST', '/api/auth/logout', {});
    this.csrfToken = undefined;
  }

  changePassword(currentPassword: string, newPassword: string): Promise<{ ok: true }> {
    return this.request('POST', '/api/auth/password', { currentPassword, newPassword });
  }

  /** `scope`: everything the user may use, their areas' own items, or province-level ones. */
  listAudio(q: string, scope: 'all' | 'mine' | 'shared' = 'all'): Promise<AudioList> {
    const query = new URLSearchParams({ limit: '200', scope });
    if (q) query.set('q', q);
    return this.request('GET', `/api/audio?${query}`);
  }

  /** `areaId`: the owner area, null = province-level, absent = the server picks the user's area. */
  speak(text: string, title?: string, areaId?: string | null): Promise<AudioResult> {
    return this.request('POST', '/api/audio/tts', {
      text,
      ...(title ? { title } : {}),
      ...(areaId === undefined ? {} : { areaId }),
    });
  }

  /** Shares an item province-wide or stops sharing it (admins). */
  shareAudio(id: string, shared: boolean): Promise<AudioItem> {
    return this.request('PATCH', `/api/audio/${encodeURIComponent(id)}`, { shared });
  }

  /** Multipart upload through XHR, the one browser API that reports upload progress. */
  uploadAudio(form: FormData, onProgress: (fraction: number) => void): Promise<AudioResult> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/audio');
      xhr.responseType = 'json';
      if (this.csrfToken) xhr.setRequestHeader('x-csrf-token', this.csrfToken);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      // A server refusing an oversized body may close the connection before the browser reads its 413.
      xhr.onerror = () => reject(new ApiError(0, UPLOAD_INTERRUPTED, 'upload interrupted'));
      xhr.onload = () => {
        const body: unknown = xhr.response;
        if (xhr.status >= 200 && xhr.status < 300) resolve(body as AudioResult);
        else reject(toApiError(xhr.status, body, xhr.statusText));
      };
      xhr.send(form);
    });
  }

  /** One page of devices; pass the page's nextCursor as `cursor` for the next. */
  listDevices(query: DeviceListQuery = {}): Promise<DevicePage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '') params.set(key, String(value));
    const qs = params.toString();
    return this.request('GET', qs ? `/api/devices?${qs}` : '/api/devices');
  }

  deviceSummary(query: { area?: string; kind?: DeviceView['role'] } = {}): Promise<DeviceSummary> {
    const params = new URLSearchParams();
    if (query.area) params.set('area', query.area);
    if (query.kind) params.set('kind', query.kind);
    const qs = params.toString();
    return this.request('GET', qs ? `/api/devices/summary?${qs}` : '/api/devices/summary');
  }

  createDevice(device: {
    id: string;
    role: DeviceView['role'];
    name?: string;
    profile?: string;
    areaId?: string;
  }): Promise<DeviceView> {
    return this.request('POST', '/api/devices', device);
  }

  enrollmentCode(id: string): Promise<EnrollmentCode> {
    return this.request('POST', `/api/devices/${encodeURIComponent(id)}/enrollment-code`, {});
  }

  setDisabled(id: string, disabled: boolean): Promise<DeviceView> {
    return this.request(
      'POST',
      `/api/devices/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`,
      {},
    );
  }

  rotateSecret(id: string): Promise<{ deviceId: string; password: string }> {
    return this.request('POST', `/api/devices/${encodeURIComponent(id)}/rotate-secret`, {});
  }

  listAreas(): Promise<{ areas: Area[] }> {
    return this.request('GET', '/api/areas');
  }
}

export const api = new ApiClient();
