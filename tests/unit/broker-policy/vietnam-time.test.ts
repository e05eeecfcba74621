import { describe, expect, it } from 'vitest';
import { vietnamTime } from '../../../broker/src/cli/vietnam-time.js';

describe('vietnamTime', () => {
  it('shows UTC+7 as dd/mm/yyyy HH:mm, across a day boundary', () => {
    expect(vietnamTime(Date.UTC(2026, 10, 23, 1, 24))).toBe('23/11/2026 08:24');
    expect(vietnamTime(Date.UTC(2026, 11, 31, 17, 5))).toBe('01/01/2027 00:05');
    expect(vietnamTime(Date.UTC(2026, 0, 1, 0, 0))).toBe('01/01/2026 07:00');
  });
});
