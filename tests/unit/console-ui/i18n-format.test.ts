import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../console/web/api.js';
import { formatDate, formatDateTime, formatDuration } from '../../../console/web/format.js';
import { en } from '../../../console/web/i18n/en.js';
import { setLocale, t } from '../../../console/web/i18n/locale.js';
import { vi } from '../../../console/web/i18n/vi.js';

describe('console web i18n and formatting', () => {
  it('has the same keys in both languages and no placeholder lost in translation', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(en[key]), key).toEqual(names(vi[key]));
    }
  });

  it('writes Vietnamese in NFC with its diacritics', () => {
    for (const text of Object.values(vi)) expect(text).toBe(text.normalize('NFC'));
    expect(vi['nav.audio']).toBe('Thư viện âm thanh');
  });

  it('fills placeholders and switches language', () => {
    setLocale('vi');
    expect(t('audio.count', { count: 3 })).toBe('3 bản âm thanh');
    setLocale('en');
    expect(t('audio.count', { count: 3 })).toBe('3 audio items');
    setLocale('vi');
  });

  it('shows dates as dd/mm/yyyy and 24-hour times in Asia/Ho_Chi_Minh whatever the zone of the browser', () => {
    // 17:30 UTC on 30 Nov is 00:30 on 1 Dec in Việt Nam (UTC+7).
    const ms = Date.UTC(2026, 10, 30, 17, 30);
    expect(formatDate(ms, 'vi')).toBe('01/12/2026');
    expect(formatDateTime(ms, 'vi')).toBe('01/12/2026 00:30');
    expect(formatDateTime(Date.UTC(2026, 0, 5, 8, 5), 'en')).toBe('05/01/2026 15:05');
    expect(formatDuration(3_400)).toBe('0:03');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('turns the server error body into Vietnamese naming the field', () => {
    setLocale('vi');
    const err = new ApiError(400, 'invalid-request', 'newPassword: at least 10 characters', 'newPassword');
    expect(err.localized()).toBe('Trường “Mật khẩu mới”: Dữ liệu chưa hợp lệ. (at least 10 characters)');
    expect(new ApiError(413, 'too-large', 'file: over 50 MB', 'file').localized()).toContain('Tệp quá lớn');
    expect(new ApiError(500, 'weird', 'boom').localized()).toBe('Có lỗi xảy ra: boom');
  });
});
