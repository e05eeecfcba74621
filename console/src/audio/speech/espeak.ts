import type { EspeakConfig } from '../config.js';
import { firstErrorLine, locateTool, runTool } from '../tool-run.js';
import { SpeechFailed } from './engine.js';
import type { SpeechEngine, SpeechRequest } from './engine.js';

/** Offline speech with Debian's espeak-ng; the text goes in on stdin as UTF-8 so diacritics survive. */
export class EspeakEngine implements SpeechEngine {
  constructor(private readonly config: EspeakConfig) {}

  describe(request: SpeechRequest): string {
    return `espeak-ng:${this.voiceFor(request)}`;
  }

  async synthesize(request: SpeechRequest, outputPath: string): Promise<void> {
    const binary = await locateTool(this.config.binary);
    if (binary === null) {
      throw new SpeechFailed(
        `espeak-ng is not installed on the console server (apt-get install espeak-ng) — looked for "${this.config.binary}"`,
      );
    }
    const args = ['-v', this.voiceFor(request), '-s', String(this.config.wordsPerMinute), '-b', '1'];
    const result = await runTool(binary, [...args, '-w', outputPath, '--stdin'], {
      timeoutMs: 120_000,
      input: request.text,
    });
    if (result.code !== 0) throw new SpeechFailed(`espeak-ng failed: ${firstErrorLine(result.stderr)}`);
  }

  private voiceFor(request: SpeechRequest): string {
    if (request.voice !== undefined) return request.voice;
    const base = request.language.split('-')[0] ?? request.language;
    return this.config.voices[request.language] ?? this.config.voices[base] ?? base;
  }
}
