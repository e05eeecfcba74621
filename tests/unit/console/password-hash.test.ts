import { describe, expect, it } from 'vitest';
import { hashPassword, randomPassword, verifyPassword } from '../../../console/src/auth/password-hash.js';

describe('password hashing', () => {
  it('scrypt with a per-hash salt; parameters travel with the hash', async () => {
    const a = await hashPassword('mật khẩu dài của xã', 12);
    const b = await hashPassword('mật khẩu dài của xã', 12);
    expect(a).toMatch(/^scrypt\$4096\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('mật khẩu dài của xã', a)).toBe(true);
    // NFC and NFD spellings of the same Vietnamese text are the same password.
    expect(await verifyPassword('mật khẩu dài của xã'.normalize('NFD'), a)).toBe(true);
    expect(await verifyPassword('mat khau dai cua xa', a)).toBe(false);
    expect(await verifyPassword('anything', 'plain-text')).toBe(false);
  });

  it('one-time passwords avoid look-alike characters', () => {
    const passwords = Array.from({ length: 50 }, () => randomPassword());
    for (const p of passwords) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    expect(new Set(passwords).size).toBe(50);
  });
});
