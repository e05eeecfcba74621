/** What a speech engine is asked to say. */
export interface SpeechRequest {
  text: string;
  /** BCP 47 tag, e.g. 'vi'. */
  language: string;
  /** Engine-specific voice; the engine's default for the language when absent. */
  voice?: string;
}

/** Turns announcement text into an audio file (MP3, WAV or OGG) at `outputPath`. */
export interface SpeechEngine {
  /** Recorded with each item, e.g. 'espeak-ng:vi' or 'http:tts.example.vn'. */
  describe(request: SpeechRequest): string;
  synthesize(request: SpeechRequest, outputPath: string): Promise<void>;
}

/** The engine could not produce audio; the message says why (missing program, service error, timeout). */
export class SpeechFailed extends Error {
  override name = 'SpeechFailed';
}
