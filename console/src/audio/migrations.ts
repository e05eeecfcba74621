import type { Migration } from '@xaso/broker';
import { audioOwnerAreaMigration } from '../db/audio-owner-area.js';

export const AUDIO_NAMESPACE = 'audio';

export const audioMigrations: Migration[] = [
  {
    version: 1,
    name: 'audio items',
    sql: `
CREATE TABLE audio_items (
  id TEXT PRIMARY KEY,
  original_sha256 TEXT NOT NULL,
  title TEXT NOT NULL,
  language TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  search_text TEXT NOT NULL,
  source TEXT NOT NULL,
  original_name TEXT,
  speech_text TEXT,
  speech_engine TEXT,
  format TEXT NOT NULL,
  codec TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  sample_rate INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  loudness_status TEXT NOT NULL,
  loudness_note TEXT,
  loudness_before REAL,
  loudness_after REAL,
  loudness_target REAL,
  uploaded_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX audio_items_original ON audio_items (original_sha256);
CREATE INDEX audio_items_created ON audio_items (created_at);
`,
  },
  audioOwnerAreaMigration,
];
