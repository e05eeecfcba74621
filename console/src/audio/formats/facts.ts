export const AUDIO_FORMATS = ['mp3', 'wav', 'ogg'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** What the parsers learn about an audio file without decoding it. */
export interface AudioFacts {
  format: AudioFormat;
  /** e.g. 'mp3', 'pcm_s16le', 'vorbis', 'opus'. */
  codec: string;
  durationMs: number;
  sampleRate: number;
  channels: number;
}

/** The upload is not usable audio; the message says what is wrong in words a commune officer can act on. */
export class AudioRejected extends Error {
  override name = 'AudioRejected';
  constructor(
    readonly reason: 'not-audio' | 'unsupported' | 'corrupt' | 'truncated' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

export const CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
};
