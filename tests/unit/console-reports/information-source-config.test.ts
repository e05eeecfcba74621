import { describe, expect, it } from 'vitest';
import {
  informationSourceConfigFromEnv,
  parseInformationSourceConfig,
} from '../../../console/src/information-source/config.js';
import { BulletinMessageSchema, wireTime } from '../../../console/src/information-source/wire.js';

describe('information source config', () => {
  it('applies defaults and names the offending field', () => {
    const config = parseInformationSourceConfig({
      url: 'https://ttn.example.gov.vn/api',
      systemCode: 'xaso-1',
    });
    expect(config).toMatchObject({
      syncIntervalMs: 60_000,
      retryMinMs: 2000,
      retryMaxMs: 900_000,
      batchSize: 500,
    });
    expect(() => parseInformationSourceConfig({ url: 'not a url', systemCode: 'x' })).toThrow(
      /^informationSource\.url: /,
    );
    expect(() =>
      parseInformationSourceConfig({ url: 'https://a.vn', systemCode: 'x', username: 'tinh' }),
    ).toThrow(/^informationSource\.password: username and password go together/);
    expect(() =>
      parseInformationSourceConfig({
        url: 'https://a.vn',
        systemCode: 'x',
        retryMinMs: 5000,
        retryMaxMs: 1000,
      }),
    ).toThrow(/^informationSource\.retryMaxMs: /);
    expect(() => parseInformationSourceConfig({ url: 'https://a.vn', systemCode: 'có dấu' })).toThrow(
      /^informationSource\.systemCode: /,
    );
  });

  it('reads XASO_INFOSRC_* variables, and is off without a URL', () => {
    expect(informationSourceConfigFromEnv({})).toBeNull();
    const config = informationSourceConfigFromEnv({
      XASO_INFOSRC_URL: 'https://ttn.example.gov.vn/api',
      XASO_INFOSRC_TOKEN: 'secret-token-123',
      XASO_INFOSRC_SYSTEM_CODE: 'xaso-tay-ninh',
      XASO_INFOSRC_SYNC_INTERVAL_MS: '30000',
    });
    expect(config).toMatchObject({
      token: 'secret-token-123',
      systemCode: 'xaso-tay-ninh',
      syncIntervalMs: 30_000,
    });
    expect(() =>
      informationSourceConfigFromEnv({
        XASO_INFOSRC_URL: 'https://a.vn',
        XASO_INFOSRC_SYSTEM_CODE: 'x',
        XASO_INFOSRC_SYNC_INTERVAL_MS: 'abc',
      }),
    ).toThrow(/^informationSource\.syncIntervalMs: /);
  });
});

describe('information source wire format', () => {
  it('writes times with Vietnam’s offset', () => {
    expect(wireTime(Date.UTC(2026, 10, 29, 23, 0, 0))).toBe('2026-11-30T06:00:00.000+07:00');
  });

  it('refuses bulletins missing what their kind needs, or valid for no time', () => {
    const base = {
      id: 'b1',
      title: 'Tin',
      level: 'thong-thuong',
      validFrom: '2026-11-30T06:00:00+07:00',
      validTo: '2026-12-01T06:00:00+07:00',
      stationCodes: ['xa-a'],
      issuer: 'Sở',
    };
    const field = (v: unknown) => {
      const r = BulletinMessageSchema.safeParse(v);
      return r.success ? null : r.error.issues[0]?.path.join('.');
    };
    expect(field({ ...base, kind: 'text', text: 'Xin chào bà con' })).toBeNull();
    expect(field({ ...base, kind: 'audio' })).toBe('audioUrl');
    expect(field({ ...base, kind: 'text' })).toBe('text');
    expect(field({ ...base, kind: 'text', text: 'x', validTo: base.validFrom })).toBe('validTo');
    expect(field({ ...base, kind: 'text', text: 'x', level: 'urgent' })).toBe('level');
  });
});
