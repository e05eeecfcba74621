import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_DOWN, DEVICE_UP, TOPIC_ROOT } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const THIS_FILE = fileURLToPath(import.meta.url);
const SCANNED = ['broker', 'gateway-firmware-ts', 'collector', 'console', 'simulators', 'scripts', 'tests'];
const QUOTES = ["'", '"', '`'];

// Needles are built from the contract so this file never contains them itself.
const ROOT_LITERALS = QUOTES.map((q) => q + TOPIC_ROOT);
const KINDS = [...new Set<string>([...DEVICE_UP, ...DEVICE_DOWN])];
/** A string literal ending in "/<kind>"; group 2 is its content. */
const KIND_ENDING = new RegExp(`(['"\`])([^'"\`]*)/(${KINDS.join('|')})\\1`, 'g');
/** Levels that make such a literal a contract topic rather than an HTTP route or a foreign topic. */
const CONTRACT_LEVEL = /(^|[/}])(dev|grp|alarm)\/|TOPIC_ROOT|\broot\}/;

/** Why a line builds a topic by hand, or null. */
function topicLiteralIn(line: string): string | null {
  const root = ROOT_LITERALS.find((needle) => line.includes(needle));
  if (root) return `topic root literal ${root}`;
  for (const match of line.matchAll(KIND_ENDING)) {
    if (CONTRACT_LEVEL.test(match[2] ?? '')) return `hand-built topic ${match[0]}`;
  }
  return null;
}

function tsFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('no topic string literals outside device-profiles', () => {
  it('recognises the shapes it is looking for (so a clean scan means something)', () => {
    const q = "'";
    const bt = '`';
    expect(topicLiteralIn(`client.subscribe(${q}${TOPIC_ROOT}/dev/+/status${q})`)).toMatch(/root literal/);
    expect(topicLiteralIn(`const t = ${bt}${TOPIC_ROOT}/#${bt};`)).toMatch(/root literal/);
    expect(topicLiteralIn(`const t = "${TOPIC_ROOT}";`)).toMatch(/root literal/);
    expect(topicLiteralIn(`const t = ${bt}\${TOPIC_ROOT}/dev/\${id}/telemetry${bt};`)).toMatch(/hand-built/);
    expect(topicLiteralIn(`const t = ${bt}\${root}/grp/\${g}/cmd${bt};`)).toMatch(/hand-built/);
    expect(topicLiteralIn(`const t = prefix + ${q}dev/${q} + id + ${q}/dev/x/ack${q};`)).toMatch(
      /hand-built/,
    );
    expect(topicLiteralIn(`const t = ${bt}dev/\${id}/schedule${bt};`)).toMatch(/hand-built/);
    expect(topicLiteralIn('client.publish(topics.telemetry(id), payload)')).toBeNull();
    expect(topicLiteralIn(`app.get(${q}/api/devices/:id/status${q}, handler)`)).toBeNull();
    expect(topicLiteralIn(`const file = ${q}${TOPIC_ROOT.replace('/', '-')}.txt${q};`)).toBeNull();
  });

  it('finds none in broker, gateway, collector, console, simulators, scripts and tests', () => {
    const files = SCANNED.flatMap((dir) => tsFiles(join(REPO, dir))).filter((f) => f !== THIS_FILE);
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.endsWith(join('contract', 'topics.test.ts')))).toBe(true);
    const findings: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const why = topicLiteralIn(line);
          if (why)
            findings.push(`${relative(REPO, file)}:${i + 1}: ${why} (use topics/filters from the contract)`);
        });
    }
    expect(findings, findings.join('\n')).toEqual([]);
  });
});
