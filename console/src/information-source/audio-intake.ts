import type { AudioLibrary } from '../audio/library.js';

export interface IntakeMeta {
  title: string;
  language: string;
  tags: string[];
  actor: string;
}

/** How bulletins enter the audio library: a downloaded file, or a text read out by the TTS engine. */
export interface BulletinAudioIntake {
  importAudio(bytes: Buffer, meta: IntakeMeta): Promise<{ audioId: string }>;
  speak(text: string, meta: IntakeMeta): Promise<{ audioId: string }>;
}

/** The audio library as the bulletin intake: the same checks (real audio, decodes) and normalisation. */
export function audioLibraryIntake(library: AudioLibrary): BulletinAudioIntake {
  return {
    async importAudio(bytes, meta) {
      const incoming = await library.createIncoming();
      let received: { path: string; sha256: string; bytes: number };
      try {
        await incoming.write(bytes);
        received = await incoming.finish();
      } catch (err) {
        await incoming.abort();
        throw err;
      }
      const { item } = await library.ingest(received, {
        title: meta.title,
        language: meta.language,
        tags: meta.tags,
        uploadedBy: meta.actor,
        source: 'import',
      });
      return { audioId: item.id };
    },
    async speak(text, meta) {
      const { item } = await library.speak({
        text,
        language: meta.language,
        title: meta.title,
        tags: meta.tags,
        actor: meta.actor,
      });
      return { audioId: item.id };
    },
  };
}
