import { t } from '../../i18n/locale.js';
import type { MessageKey } from '../../i18n/vi.js';

type Body = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

const KIND_LABELS: Record<string, MessageKey> = {
  fault: 'map.eventKind.fault',
  lifecycle: 'map.eventKind.lifecycle',
  playback: 'map.eventKind.playback',
  config: 'map.eventKind.config',
  refused: 'map.eventKind.refused',
  'queue-thinned': 'map.eventKind.queue-thinned',
};

export function eventKindLabel(kind: string): string {
  const key = KIND_LABELS[kind];
  return key ? t(key) : kind;
}

const LIFECYCLE = new Set([
  'boot',
  'shutdown',
  'uplink-lost',
  'uplink-restored',
  'tamper-open',
  'tamper-closed',
]);
const PHASES = new Set(['start', 'end', 'failed', 'interrupted', 'missed']);

/** The contract's word in the user's language, or the word itself when a newer gateway sends another. */
function translated(prefix: 'map.lifecycle' | 'map.phase', known: Set<string>, word: string): string {
  return known.has(word) ? t(`${prefix}.${word}` as MessageKey) : word;
}

/** Whether an event tells of something broken (a fault not yet cleared, a refusal, a failed playback). */
export function isProblem(kind: string, body: unknown): boolean {
  const b = (body ?? {}) as Body;
  if (kind === 'fault') return b.cleared !== true;
  if (kind === 'refused') return true;
  if (kind === 'playback') return b.phase === 'failed' || b.phase === 'missed';
  if (kind === 'lifecycle') return b.what === 'uplink-lost' || b.what === 'tamper-open';
  return false;
}

/** One line a technician reads, from an event body as the collector stored it. */
export function eventText(kind: string, body: unknown): string {
  const b = (body ?? {}) as Body;
  switch (kind) {
    case 'fault':
      return t(b.cleared === true ? 'map.event.faultCleared' : 'map.event.fault', {
        source: str(b.source),
        code: str(b.code),
        message: str(b.message),
      });
    case 'lifecycle':
      return t('map.event.lifecycle', {
        what: translated('map.lifecycle', LIFECYCLE, str(b.what)),
        detail: str(b.detail),
      }).replace(/ – $/, '');
    case 'playback':
      return t('map.event.playback', {
        phase: translated('map.phase', PHASES, str(b.phase)),
        broadcast: str(b.broadcastId),
        priority: str(b.priority),
      });
    case 'config':
      return t(b.accepted === true ? 'map.event.configAccepted' : 'map.event.configRefused', {
        version: str(b.version),
        reason: str(b.reason),
      });
    case 'refused':
      return t('map.event.refused', { what: str(b.what), reason: str(b.reason) });
    case 'queue-thinned':
      return t('map.event.thinned', { removed: str(b.removed) });
    default:
      return kind;
  }
}
