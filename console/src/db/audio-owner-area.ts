import type { Migration } from '@xaso/broker';

/**
 * Version 2 of the `audio` namespace (the one that owns `audio_items`, so it runs after version 1 created the
 * table, whichever module opens the file first). Items that existed before become province-level: no owner
 * area, visible to everyone, changed only by province staff.
 */
export const audioOwnerAreaMigration: Migration = {
  version: 2,
  name: 'audio owner area',
  sql: `
ALTER TABLE audio_items ADD COLUMN owner_area_id TEXT;
ALTER TABLE audio_items ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
CREATE INDEX audio_items_owner ON audio_items (owner_area_id, shared);
`,
};
