import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESSAGES, type MessageKind, ProfileSchema, topicOf } from '@xaso/device-profiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXAMPLE_PUBLIC_KEY_PEM, messageExamples } from '../../../device-profiles/src/docs/examples.js';
import {
  PROFILE_SCHEMA_PATH,
  PROTOCOL_DOC_PATH,
  generatedFiles,
  staleFiles,
} from '../../../device-profiles/src/docs/generated-files.js';
import { checkExample, topicPattern } from '../../../device-profiles/src/docs/protocol-doc.js';
import { tempDir } from '../../harness/index.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const KINDS = Object.keys(MESSAGES) as MessageKind[];

function generateDocs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'device-profiles/src/cli/generate-docs.ts', ...args],
      { cwd: REPO, timeout: 60_000 },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('generated protocol document and profile JSON Schema', () => {
  const files = generatedFiles();
  const doc = files.find((f) => f.path === PROTOCOL_DOC_PATH)?.content ?? '';
  let root: string;

  beforeAll(async () => {
    root = await tempDir('xaso-docs');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('docs:check passes on the committed files', async () => {
    const run = await generateDocs('--check');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(staleFiles(REPO, files)).toEqual([]);
  });

  it('docs:check fails, naming the file, when a copy drifts or is missing', async () => {
    for (const file of files) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), readFileSync(join(REPO, file.path)));
    }
    expect((await generateDocs('--check', '--root', root)).code).toBe(0);

    writeFileSync(join(root, PROTOCOL_DOC_PATH), doc.replace('| `seq` |', '| `sequence` |'));
    const drifted = await generateDocs('--check', '--root', root);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr.trim()).toBe('docs/protocol.md is out of date: run npm run docs:generate');

    rmSync(join(root, PROFILE_SCHEMA_PATH));
    expect(staleFiles(root, files)).toEqual([PROTOCOL_DOC_PATH, PROFILE_SCHEMA_PATH]);
  });

  it('lists every topic with the pattern its builder produces', () => {
    expect(topicPattern('telemetry')).toBe(topicOf('telemetry', 'x').replace('/x/', '/{deviceId}/'));
    expect(topicPattern('groupCmd')).toBe(topicOf('groupCmd', 'x').replace('/x/', '/{groupId}/'));
    expect(topicPattern('alarm')).toBe(topicOf('alarm', 'x').replace(/x$/, '{stationId}'));
    for (const kind of KINDS) {
      const m = MESSAGES[kind];
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${topicPattern(kind)}\` | [${kind}]`));
      expect(row, kind).toBeDefined();
      expect(row).toContain(`| ${m.from} | ${m.retained ? 'yes' : 'no'} | ${m.qos} |`);
      expect(doc).toContain(`### ${kind}\n`);
    }
  });

  it('has a field table row for every top-level field of every message', () => {
    for (const kind of KINDS) {
      const section = doc.slice(doc.indexOf(`### ${kind}\n`));
      const json = z.toJSONSchema(MESSAGES[kind].schema, { io: 'input' });
      for (const field of Object.keys(json.properties ?? {})) expect(section).toContain(`| \`${field}\` |`);
    }
  });

  it('shows examples that pass the contract, and refuses to document one that does not', () => {
    const examples = messageExamples();
    for (const kind of KINDS) {
      expect(() => checkExample(kind, examples[kind])).not.toThrow();
      expect(doc).toContain(JSON.stringify(examples[kind].payload, null, 2));
    }
    const wrong = { ...examples.telemetry, payload: { ...examples.telemetry.payload, seq: -1 } };
    expect(() => checkExample('telemetry', wrong)).toThrow(
      /example for telemetry does not pass the contract: .*seq/,
    );
    const tampered = { ...examples.cmd, payload: { ...examples.cmd.payload, issuer: 'someone-else' } };
    expect(() => checkExample('cmd', tampered)).toThrow(/signature that does not verify/);
    expect(doc).toContain(EXAMPLE_PUBLIC_KEY_PEM.trim());
  });

  it('writes a profile JSON Schema that describes the profile input', () => {
    const schema = JSON.parse(files.find((f) => f.path === PROFILE_SCHEMA_PATH)?.content ?? '{}');
    expect(schema).toMatchObject(JSON.parse(JSON.stringify(z.toJSONSchema(ProfileSchema, { io: 'input' }))));
    expect(schema.title).toBe('Xã Số device profile');
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'kind', 'transport', 'registers']));
    expect(schema.required).not.toContain('pollIntervalMs');
  });
});
