import type { SqliteDatabase } from '@xaso/broker';
import { z } from 'zod';
import type { AudioRecord, AudioSource } from './item-schema.js';
import type { AudioOwnership, AudioVisibility } from './scope.js';

const RowSchema = z.object({
  id: z.string(),
  original_sha256: z.string(),
  title: z.string(),
  language: z.string(),
  tags: z.string(),
  source: z.enum(['upload', 'tts', 'import']),
  original_name: z.string().nullable(),
  speech_text: z.string().nullable(),
  speech_engine: z.string().nullable(),
  format: z.enum(['mp3', 'wav', 'ogg']),
  codec: z.string(),
  duration_ms: z.number(),
  sample_rate: z.number(),
  channels: z.number(),
  bytes: z.number(),
  loudness_status: z.enum(['normalised', 'not-normalised']),
  loudness_note: z.string().nullable(),
  loudness_before: z.number().nullable(),
  loudness_after: z.number().nullable(),
  loudness_target: z.number().nullable(),
  uploaded_by: z.string(),
  owner_area_id: z.string().nullable(),
  shared: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
});
type Row = z.infer<typeof RowSchema>;

export type NewAudioRecord = Omit<AudioRecord, 'path' | 'updatedAt' | 'shared'>;

export interface AudioQuery {
  /** Matched against title, tags and spoken text, ignoring case and Vietnamese diacritics. */
  q?: string;
  tag?: string;
  language?: string;
  source?: AudioSource;
  /** `mine`: items owned by an area (not shared); `shared`: province-level items. */
  scope?: 'mine' | 'shared';
  /** Absent or `all`: every item; otherwise province-level items and those owned in these areas. */
  visibility?: AudioVisibility;
  limit: number;
  offset: number;
}

/** Lower case without diacritics (đ → d), so "thong bao" finds "Thông báo". */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
}

/** The audio_items table; rows become AudioRecords with the download path filled in by `pathOf`. */
export class AudioItemTable {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly pathOf: (id: string) => string,
  ) {}

  get(id: string): AudioRecord | undefined {
    const row = this.db.prepare('SELECT * FROM audio_items WHERE id = ?').get(id);
    return row === undefined ? undefined : this.toRecord(RowSchema.parse(row));
  }

  findByOriginal(sha256: string): AudioRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM audio_items WHERE original_sha256 = ? OR id = ? ORDER BY created_at LIMIT 1')
      .get(sha256, sha256);
    return row === undefined ? undefined : this.toRecord(RowSchema.parse(row));
  }

  /** Inserts unless an item with that id exists already; returns whether it inserted. */
  insert(item: NewAudioRecord): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO audio_items (id, original_sha256, title, language, tags, search_text, source,
          original_name, speech_text, speech_engine, format, codec, duration_ms, sample_rate, channels, bytes,
          loudness_status, loudness_note, loudness_before, loudness_after, loudness_target, uploaded_by,
          owner_area_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        item.id,
        item.originalSha256,
        item.title,
        item.language,
        JSON.stringify(item.tags),
        searchText(item.title, item.tags, item.speech?.text ?? null),
        item.source,
        item.originalName,
        item.speech?.text ?? null,
        item.speech?.engine ?? null,
        item.format,
        item.codec,
        item.durationMs,
        item.sampleRate,
        item.channels,
        item.bytes,
        item.loudness.status,
        item.loudness.note,
        item.loudness.beforeLufs,
        item.loudness.afterLufs,
        item.loudness.targetLufs,
        item.uploadedBy,
        item.ownerAreaId,
        item.createdAt,
        item.createdAt,
      );
    return result.changes === 1;
  }

  update(id: string, patch: { title?: string; language?: string; tags?: string[] }, now: number): void {
    const current = this.get(id);
    if (current === undefined) return;
    const title = patch.title ?? current.title;
    const tags = patch.tags ?? current.tags;
    this.db
      .prepare(
        'UPDATE audio_items SET title = ?, language = ?, tags = ?, search_text = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        title,
        patch.language ?? current.language,
        JSON.stringify(tags),
        searchText(title, tags, current.speech?.text ?? null),
        now,
        id,
      );
  }

  setOwnership(id: string, ownership: AudioOwnership, now: number): void {
    this.db
      .prepare('UPDATE audio_items SET owner_area_id = ?, shared = ?, updated_at = ? WHERE id = ?')
      .run(ownership.ownerAreaId, ownership.shared ? 1 : 0, now, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM audio_items WHERE id = ?').run(id).changes === 1;
  }

  list(query: AudioQuery): { items: AudioRecord[]; total: number } {
    const where: string[] = [];
    const params: string[] = [];
    if (query.q !== undefined && query.q.trim() !== '') {
      where.push("search_text LIKE ? ESCAPE '\\'");
      params.push(`%${escapeLike(searchKey(query.q.trim()))}%`);
    }
    if (query.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(audio_items.tags) WHERE json_each.value = ?)');
      params.push(query.tag);
    }
    if (query.language !== undefined) {
      where.push('language = ?');
      params.push(query.language);
    }
    if (query.source !== undefined) {
      where.push('source = ?');
      params.push(query.source);
    }
    if (query.scope === 'mine') where.push('owner_area_id IS NOT NULL AND shared = 0');
    if (query.scope === 'shared') where.push('(owner_area_id IS NULL OR shared = 1)');
    if (query.visibility?.kind === 'areas') {
      const owned = query.visibility.areaIds.map(() => '?').join(', ');
      where.push(
        `(owner_area_id IS NULL OR shared = 1${owned === '' ? '' : ` OR owner_area_id IN (${owned})`})`,
      );
      params.push(...query.visibility.areaIds);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = z
      .object({ n: z.number() })
      .parse(this.db.prepare(`SELECT COUNT(*) AS n FROM audio_items ${clause}`).get(...params)).n;
    const rows = this.db
      .prepare(`SELECT * FROM audio_items ${clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset);
    return { items: rows.map((r) => this.toRecord(RowSchema.parse(r))), total };
  }

  private toRecord(row: Row): AudioRecord {
    return {
      id: row.id,
      originalSha256: row.original_sha256,
      title: row.title,
      language: row.language,
      tags: z.array(z.string()).parse(JSON.parse(row.tags)),
      source: row.source,
      originalName: row.original_name,
      speech:
        row.speech_text === null ? null : { text: row.speech_text, engine: row.speech_engine ?? 'unknown' },
      format: row.format,
      codec: row.codec,
      durationMs: row.duration_ms,
      sampleRate: row.sample_rate,
      channels: row.channels,
      bytes: row.bytes,
      loudness: {
        status: row.loudness_status,
        note: row.loudness_note,
        beforeLufs: row.loudness_before,
        afterLufs: row.loudness_after,
        targetLufs: row.loudness_target,
      },
      uploadedBy: row.uploaded_by,
      ownerAreaId: row.owner_area_id,
      shared: row.shared === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      path: this.pathOf(row.id),
    };
  }
}

function searchText(title: string, tags: readonly string[], text: string | null): string {
  return searchKey([title, ...tags, text ?? ''].join('\n'));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
