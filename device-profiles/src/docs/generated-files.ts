import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ProfileSchema } from '../profile/schema.js';
import { renderProtocolDoc } from './protocol-doc.js';

/** A file the generator owns, by path relative to the repository root. */
export interface GeneratedFile {
  path: string;
  content: string;
}

export const PROTOCOL_DOC_PATH = 'docs/protocol.md';
export const PROFILE_SCHEMA_PATH = 'device-profiles/profile.schema.json';

/** JSON Schema of a profile as a technician writes it (defaults optional); cross-field rules are checked by `npm run profiles -- check`. */
export function renderProfileJsonSchema(): string {
  const schema = {
    ...z.toJSONSchema(ProfileSchema, { io: 'input' }),
    title: 'Xã Số device profile',
    description:
      'Modbus register map of one instrument model. Generated from ProfileSchema by npm run docs:generate; overlaps, type/function pairs and capability references are checked by npm run profiles -- check.',
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function generatedFiles(): GeneratedFile[] {
  return [
    { path: PROTOCOL_DOC_PATH, content: renderProtocolDoc() },
    { path: PROFILE_SCHEMA_PATH, content: renderProfileJsonSchema() },
  ];
}

/** Paths whose committed content under `root` differs from what the code generates (missing counts as differing). */
export function staleFiles(root: string, files: readonly GeneratedFile[] = generatedFiles()): string[] {
  return files
    .filter((file) => {
      try {
        return readFileSync(join(root, file.path), 'utf8') !== file.content;
      } catch {
        return true;
      }
    })
    .map((file) => file.path);
}
