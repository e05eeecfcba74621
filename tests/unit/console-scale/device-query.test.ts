import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../console/src/app/http-error.js';
import {
  decodeCursor,
  encodeCursor,
  matchesText,
  pageOf,
} from '../../../console/src/devices/device-query.js';
import { foldText } from '../../../console/src/devices/fold-text.js';

const ids = Array.from({ length: 25 }, (_, i) => `loa-${String(i).padStart(2, '0')}`);

function pageThrough(
  source: readonly string[],
  limit: number,
  matches: (id: string) => boolean = () => true,
) {
  const seen: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = pageOf(source, (id) => id, matches, after, limit);
    seen.push(...page.items);
    if (page.nextCursor === null) return seen;
    after = decodeCursor(page.nextCursor);
  }
  throw new Error('paging did not end');
}

describe('device list paging', () => {
  it('pages through every match once, in id order, with the total on each page', () => {
    expect(pageThrough(ids, 7)).toEqual(ids);
    const even = (id: string) => Number(id.slice(4)) % 2 === 0;
    expect(pageThrough(ids, 4, even)).toEqual(ids.filter(even));
    const first = pageOf(ids, (id) => id, even, undefined, 4);
    expect(first.total).toBe(13);
    const last = pageOf(ids, (id) => id, even, 'loa-20', 4);
    expect({ items: last.items, next: last.nextCursor, total: last.total }).toEqual({
      items: ['loa-22', 'loa-24'],
      next: null,
      total: 13,
    });
  });

  it('continues after the last id seen even when that device is gone or others were added', () => {
    const page = pageOf(
      ids,
      (id) => id,
      () => true,
      undefined,
      10,
    );
    const after = decodeCursor(page.nextCursor ?? '');
    expect(after).toBe('loa-09');
    const changed = [...ids.filter((id) => id !== 'loa-09' && id !== 'loa-10'), 'loa-05a', 'loa-09b'].sort();
    const next = pageOf(
      changed,
      (id) => id,
      () => true,
      after,
      3,
    );
    expect(next.items).toEqual(['loa-09b', 'loa-11', 'loa-12']);
  });

  it('refuses a cursor it did not give out, naming the field', () => {
    for (const bad of ['', 'not a cursor', 'Zm9v', encodeCursor('x').slice(0, 2)]) {
      const error = (() => {
        try {
          decodeCursor(bad);
        } catch (err) {
          return err;
        }
      })();
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).field).toBe('cursor');
      expect((error as HttpError).status).toBe(400);
    }
    expect(decodeCursor(encodeCursor('loa-tb-01'))).toBe('loa-tb-01');
  });
});

describe('search text', () => {
  it('folds Vietnamese marks and đ, so staff can type without them', () => {
    expect(foldText('  Cụm loa Ấp Thạnh Bình  ')).toBe('cum loa ap thanh binh');
    expect(foldText('Đường Đồng Khởi')).toBe('duong dong khoi');
    expect(foldText('Xã Tân Biên')).toBe(foldText('xa tan bien'));
  });

  it('matches every word of the query in the id or the folded name', () => {
    const search = `loa-tb-01 ${foldText('Cụm loa chợ Tân Biên')}`;
    expect(matchesText(foldText('tân biên'), search)).toBe(true);
    expect(matchesText(foldText('cho tan'), search)).toBe(true);
    expect(matchesText(foldText('tb-01'), search)).toBe(true);
    expect(matchesText(foldText('tân lập'), search)).toBe(false);
    expect(matchesText('', search)).toBe(true);
  });
});
