import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '@xaso/broker';
import type { Logger } from 'pino';
import type { AreaDirectory } from '../app/env.js';
import { AudioRejected } from '../audio/formats/facts.js';
import type { BulletinAudioIntake } from './audio-intake.js';
import type { BulletinStore } from './bulletin-store.js';
import type { InformationSourceConfig } from './config.js';
import { ProvinceRefusedError, type ProvincialClient } from './provincial-client.js';
import type { Outbox, SyncState } from './store.js';
import {
  type BulletinMessage,
  BulletinMessageSchema,
  BulletinPageSchema,
  BulletinReceiptSchema,
  LEVEL_FROM_WIRE,
  paths,
  wireTime,
} from './wire.js';

const BULLETIN_CURSOR = 'bulletins';
const LEVEL_RANK: Record<string, number> = { 'khan-cap': 0, 'uu-tien': 1, 'thong-thuong': 2 };
export const INTAKE_ACTOR = 'information-source';

/** The bulletin could not be taken in for a reason the province must hear about (not a transient one). */
class BulletinRefused extends Error {}

export interface IntakeResult {
  received: number;
  refused: number;
}

/**
 * Pulls bulletins from the province into the audio library, each waiting for a commune decision.
 * A transient failure (province down mid-download) stops the page without moving the cursor, so the
 * bulletin comes again next time; a bad bulletin is refused with a receipt naming what is wrong.
 */
export class BulletinIntake {
  constructor(
    private readonly deps: {
      config: InformationSourceConfig;
      client: ProvincialClient;
      db: SqliteDatabase;
      outbox: Outbox;
      state: SyncState;
      store: BulletinStore;
      areas: AreaDirectory;
      audio: BulletinAudioIntake | null;
      log: Logger;
      onReceived?: (bulletinId: string) => void;
    },
  ) {}

  private receipt(
    id: string,
    status: 'da-nhan' | 'tu-choi' | 'da-duyet' | 'khong-duyet',
    reason: string | null,
    now: number,
  ): void {
    const body = BulletinReceiptSchema.parse({
      systemCode: this.deps.config.systemCode,
      status,
      reason,
      at: wireTime(now),
    });
    this.deps.outbox.enqueue({ method: 'POST', path: paths.receipt(id), body }, now);
  }

  decisionReceipt(id: string, status: 'approved' | 'rejected', note: string | null, now: number): void {
    this.receipt(id, status === 'approved' ? 'da-duyet' : 'khong-duyet', note, now);
  }

  async pull(now: () => number): Promise<IntakeResult> {
    const { client, state, log } = this.deps;
    const result: IntakeResult = { received: 0, refused: 0 };
    const raw = await client.getJson(paths.bulletins(state.cursor(BULLETIN_CURSOR) ?? ''));
    const page = BulletinPageSchema.safeParse(raw);
    if (!page.success) {
      const field = page.error.issues[0]?.path.join('.') ?? '';
      throw new ProvinceRefusedError(200, `bulletin page does not parse at "${field}"`);
    }
    // Emergencies first: a bulletin that cannot be taken in yet must not hold one back.
    const rank = (b: unknown) => LEVEL_RANK[String((b as { level?: unknown } | null)?.level)] ?? 3;
    const ordered = [...page.data.bulletins].sort((a, b) => rank(a) - rank(b));
    for (const item of ordered) {
      const outcome = await this.takeIn(item, now());
      if (outcome === 'received') result.received++;
      if (outcome === 'refused') result.refused++;
    }
    state.setCursor(BULLETIN_CURSOR, page.data.cursor);
    if (result.received + result.refused > 0) log.info(result, 'information source: bulletins taken in');
    return result;
  }

  private async takeIn(raw: unknown, now: number): Promise<'received' | 'refused' | 'known'> {
    const { store, db } = this.deps;
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && store.has(id)) return 'known';
    const parsed = BulletinMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = `${issue?.path.join('.') || 'bulletin'}: ${issue?.message ?? 'invalid'}`;
      this.deps.log.warn({ id, reason }, 'information source: bulletin refused');
      if (typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id))
        this.receipt(id, 'tu-choi', reason, now);
      return 'refused';
    }
    const b = parsed.data;
    try {
      const areaIds = this.areasOf(b);
      if (Date.parse(b.validTo) <= now)
        throw new BulletinRefused('validTo: the bulletin has already expired');
      const audioId = await this.audioOf(b);
      db.transaction(() => {
        store.insert({
          id: b.id,
          title: b.title,
          level: LEVEL_FROM_WIRE[b.level],
          kind: b.kind,
          audioId,
          text: b.text ?? null,
          language: b.language,
          validFrom: Date.parse(b.validFrom),
          validTo: Date.parse(b.validTo),
          areaIds,
          issuer: b.issuer,
          status: 'pending-approval',
          reason: null,
          receivedAt: now,
        });
        this.receipt(b.id, 'da-nhan', null, now);
      })();
      this.deps.onReceived?.(b.id);
      return 'received';
    } catch (err) {
      if (!(err instanceof BulletinRefused)) throw err;
      this.refuse(b, err.message, now);
      return 'refused';
    }
  }

  private refuse(b: BulletinMessage, reason: string, now: number): void {
    this.deps.log.warn({ id: b.id, reason }, 'information source: bulletin refused');
    this.deps.db.transaction(() => {
      this.deps.store.insert({
        id: b.id,
        title: b.title,
        level: LEVEL_FROM_WIRE[b.level],
        kind: b.kind,
        audioId: null,
        text: b.text ?? null,
        language: b.language,
        validFrom: Date.parse(b.validFrom),
        validTo: Date.parse(b.validTo),
        areaIds: [],
        issuer: b.issuer,
        status: 'refused',
        reason,
        receivedAt: now,
      });
      this.receipt(b.id, 'tu-choi', reason, now);
    })();
  }

  /** Station codes are our commune area ids; codes we do not know are ignored, none known is a refusal. */
  private areasOf(b: BulletinMessage): string[] {
    const known = b.stationCodes.filter((code) => this.deps.areas.get(code) !== undefined);
    if (known.length === 0) {
      throw new BulletinRefused(`stationCodes: none of ${b.stationCodes.join(', ')} is a station of ours`);
    }
    return known;
  }

  private async audioOf(b: BulletinMessage): Promise<string> {
    const { audio, client, config } = this.deps;
    if (!audio) throw new Error('information source: no audio library to take bulletins into');
    const meta = { title: b.title, language: b.language, tags: ['ttn', `ttn:${b.id}`], actor: INTAKE_ACTOR };
    try {
      if (b.kind === 'text') return (await audio.speak(b.text ?? '', meta)).audioId;
      const bytes = await client.download(b.audioUrl ?? '', config.maxBulletinBytes);
      if (b.sha256) {
        const got = createHash('sha256').update(bytes).digest('hex');
        if (got !== b.sha256) throw new BulletinRefused(`sha256: downloaded file hashes to ${got}`);
      }
      return (await audio.importAudio(bytes, meta)).audioId;
    } catch (err) {
      if (err instanceof ProvinceRefusedError) throw new BulletinRefused(`audioUrl: ${err.message}`);
      // The library refuses what is not audio (fake, corrupt): the province must hear why.
      if (err instanceof AudioRejected) throw new BulletinRefused(`audio: ${err.message}`);
      throw err;
    }
  }
}
