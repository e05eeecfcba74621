import { migrate } from '@xaso/broker';
import type { SqliteDatabase } from '@xaso/broker';
import type { Logger } from 'pino';
import type { AudioCatalog, AudioItem, SessionUser } from '../app/env.js';
import { AudioBlobStore, SHA256_PATTERN, hashFile } from './blob-store.js';
import type { IncomingFile } from './blob-store.js';
import { AudioConfigSchema } from './config.js';
import type { AudioConfig, AudioConfigInput } from './config.js';
import { FfmpegTools } from './ffmpeg.js';
import { CONTENT_TYPES } from './formats/facts.js';
import { prepareAudio } from './ingest.js';
import type { PreparedAudio } from './ingest.js';
import type { AudioRecord, AudioSource } from './item-schema.js';
import { AudioItemTable } from './item-table.js';
import type { AudioQuery } from './item-table.js';
import { AUDIO_NAMESPACE, audioMigrations } from './migrations.js';
import { AudioScope } from './scope.js';
import type { AudioOwnership, ScopeAreas } from './scope.js';
import { SpeechFailed, createSpeechEngine } from './speech/index.js';
import type { SpeechEngine } from './speech/index.js';

export interface AudioLibraryDeps {
  db: SqliteDatabase;
  dataDir: string;
  log: Logger;
  /** The area tree the ownership rules read; without it only province-level items are usable by non-admins. */
  areas?: ScopeAreas;
  config?: AudioConfigInput;
  /** Overrides the engine the config describes. */
  speech?: SpeechEngine;
  now?: () => number;
}

export interface IngestMeta {
  title: string;
  language: string;
  tags: string[];
  uploadedBy: string;
  /** The area whose own recording this is; null or absent = province-level. */
  ownerAreaId?: string | null;
  source: AudioSource;
  originalName?: string | null;
  speech?: { text: string; engine: string } | null;
}

export interface SpeakRequest {
  text: string;
  language?: string;
  voice?: string;
  title?: string;
  tags?: string[];
  actor: string;
  ownerAreaId?: string | null;
}

/** Deleting an item that schedules or broadcasts still play. */
export class AudioInUse extends Error {
  override name = 'AudioInUse';
  constructor(readonly uses: string[]) {
    super(`the audio item is still used by ${uses.join('; ')}`);
  }
}

/** Gateways fetch items here; the path is what PlaylistItem.path carries. */
export function mediaPath(id: string): string {
  return `/media/${id}`;
}

/** The audio library: metadata in the shared SQLite, content-addressed files in `<dataDir>/audio/`. */
export class AudioLibrary implements AudioCatalog {
  private readonly references: Array<(audioId: string) => string[]> = [];
  private readonly table: AudioItemTable;
  private readonly now: () => number;

  private constructor(
    readonly config: AudioConfig,
    readonly store: AudioBlobStore,
    readonly tools: FfmpegTools | null,
    readonly speech: SpeechEngine,
    private readonly log: Logger,
    readonly scope: AudioScope,
    db: SqliteDatabase,
    now: () => number,
  ) {
    this.table = new AudioItemTable(db, mediaPath);
    this.now = now;
  }

  static async open(deps: AudioLibraryDeps): Promise<AudioLibrary> {
    const config = AudioConfigSchema.parse(deps.config ?? {});
    migrate(deps.db, AUDIO_NAMESPACE, audioMigrations);
    const store = new AudioBlobStore(deps.dataDir);
    await store.init();
    const tools = await FfmpegTools.locate(config.ffmpegPath);
    const log = deps.log.child({ module: 'audio' });
    if (tools === null)
      log.warn('ffmpeg not found: uploads are checked by our parsers only and not normalised');
    const speech = deps.speech ?? createSpeechEngine(config.speech);
    const scope = new AudioScope(deps.areas ?? NO_AREAS);
    return new AudioLibrary(config, store, tools, speech, log, scope, deps.db, deps.now ?? Date.now);
  }

  get(id: string): AudioItem | undefined {
    const record = this.record(id);
    if (record === undefined) return undefined;
    const { title, language, durationMs, path, bytes } = record;
    return { id, title, language, durationMs, path, bytes };
  }

  record(id: string): AudioRecord | undefined {
    return SHA256_PATTERN.test(id) ? this.table.get(id) : undefined;
  }

  /** Whether the user may put the item in a schedule or broadcast: they must be able to see it. */
  usableBy(user: SessionUser, id: string): boolean {
    const record = this.record(id);
    return record !== undefined && this.scope.sees(user, record);
  }

  list(query: AudioQuery): { items: AudioRecord[]; total: number } {
    return this.table.list(query);
  }

  /** The playable file of an item, for streaming. */
  file(id: string): { path: string; bytes: number; contentType: string } | undefined {
    const record = this.record(id);
    if (record === undefined) return undefined;
    return { path: this.store.path(id), bytes: record.bytes, contentType: CONTENT_TYPES[record.format] };
  }

  createIncoming(): Promise<IncomingFile> {
    return this.store.createIncoming();
  }

  /**
   * Adds a received file (a finished IncomingFile) to the library; the same content uploaded again returns
   * the existing item with `created: false`. Rejects with AudioRejected for anything that is not audio.
   */
  async ingest(
    received: { path: string; sha256: string; bytes: number },
    meta: IngestMeta,
  ): Promise<{ item: AudioRecord; created: boolean }> {
    const existing = this.table.findByOriginal(received.sha256);
    if (existing !== undefined) {
      await this.store.discard(received.path);
      return { item: existing, created: false };
    }
    let prepared: PreparedAudio;
    try {
      prepared = await prepareAudio(received, {
        tools: this.tools,
        config: this.config,
        store: this.store,
        log: this.log,
      });
    } catch (err) {
      await this.store.discard(received.path);
      throw err;
    }
    // The original is kept only when it is itself the playable file.
    if (prepared.path !== received.path) await this.store.discard(received.path);
    await this.store.commit(prepared.path, prepared.sha256);
    const now = this.now();
    const inserted = this.table.insert({
      id: prepared.sha256,
      originalSha256: received.sha256,
      title: meta.title,
      language: meta.language,
      tags: meta.tags,
      source: meta.source,
      originalName: meta.originalName ?? null,
      speech: meta.speech ?? null,
      format: prepared.facts.format,
      codec: prepared.facts.codec,
      durationMs: prepared.facts.durationMs,
      sampleRate: prepared.facts.sampleRate,
      channels: prepared.facts.channels,
      bytes: prepared.bytes,
      loudness: prepared.loudness,
      uploadedBy: meta.uploadedBy,
      ownerAreaId: meta.ownerAreaId ?? null,
      createdAt: now,
    });
    const item = this.table.get(prepared.sha256);
    if (item === undefined) throw new Error(`audio item ${prepared.sha256} vanished after insert`);
    this.log.info(
      {
        id: item.id,
        title: item.title,
        durationMs: item.durationMs,
        loudness: item.loudness,
        created: inserted,
      },
      inserted ? 'audio item added' : 'audio item already present',
    );
    return { item, created: inserted };
  }

  /** Text-to-speech through the configured engine into a library item (the text kept in its metadata). */
  async speak(request: SpeakRequest): Promise<{ item: AudioRecord; created: boolean }> {
    const text = request.text.normalize('NFC').trim();
    if (text === '') throw new SpeechFailed('there is no text to speak');
    const language = request.language ?? 'vi';
    const speechRequest = {
      text,
      language,
      ...(request.voice === undefined ? {} : { voice: request.voice }),
    };
    const path = this.store.tempPath('.speech');
    try {
      await this.speech.synthesize(speechRequest, path);
      const received = { path, ...(await hashFile(path)) };
      return await this.ingest(received, {
        title: request.title ?? titleFrom(text),
        language,
        tags: request.tags ?? [],
        uploadedBy: request.actor,
        ownerAreaId: request.ownerAreaId ?? null,
        source: 'tts',
        speech: { text, engine: this.speech.describe(speechRequest) },
      });
    } catch (err) {
      await this.store.discard(path);
      throw err;
    }
  }

  async synthesize(request: SpeakRequest): Promise<AudioItem> {
    const { item } = await this.speak(request);
    const found = this.get(item.id);
    if (found === undefined) throw new Error(`audio item ${item.id} vanished`);
    return found;
  }

  update(id: string, patch: { title?: string; language?: string; tags?: string[] }): AudioRecord | undefined {
    if (this.record(id) === undefined) return undefined;
    this.table.update(id, patch, this.now());
    return this.table.get(id);
  }

  setOwnership(id: string, ownership: AudioOwnership): AudioRecord | undefined {
    if (this.record(id) === undefined) return undefined;
    this.table.setOwnership(id, ownership, this.now());
    return this.table.get(id);
  }

  addReferenceCheck(check: (audioId: string) => string[]): void {
    this.references.push(check);
  }

  /** What still uses an item, from every registered check. */
  usesOf(id: string): string[] {
    return this.references.flatMap((check) => check(id));
  }

  /** Removes the item and its file; throws AudioInUse while anything uses it. False when unknown. */
  async delete(id: string): Promise<boolean> {
    if (this.record(id) === undefined) return false;
    const uses = this.usesOf(id);
    if (uses.length > 0) throw new AudioInUse(uses);
    const deleted = this.table.delete(id);
    if (deleted) await this.store.remove(id);
    return deleted;
  }
}

const NO_AREAS: ScopeAreas = { get: () => undefined, subtree: () => [], userMayAct: () => false };

/** A default title: the first words of the text. */
function titleFrom(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= 80 ? oneLine : `${oneLine.slice(0, 77)}…`;
}
