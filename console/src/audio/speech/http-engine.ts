import { writeFile } from 'node:fs/promises';
import type { HttpSpeechConfig } from '../config.js';
import { SpeechFailed } from './engine.js';
import type { SpeechEngine, SpeechRequest } from './engine.js';

const ASYNC_POLL_MS = 1000;

/** Fills {{text}}, {{language}} and {{voice}} escaped for where they land (JSON string, form, URL, plain). */
export function fillTemplate(
  template: string,
  values: Record<'text' | 'language' | 'voice', string>,
  escaping: 'json' | 'form' | 'plain',
): string {
  return template.replace(/\{\{(text|language|voice)\}\}/g, (_, key: 'text' | 'language' | 'voice') => {
    const value = values[key];
    if (escaping === 'json') return JSON.stringify(value).slice(1, -1);
    if (escaping === 'form') return encodeURIComponent(value);
    return value;
  });
}

/** A commercial TTS service: one request per text, the audio in the response or at a URL it returns. */
export class HttpSpeechEngine implements SpeechEngine {
  private readonly host: string;

  constructor(
    private readonly config: HttpSpeechConfig,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.host = new URL(config.url).host;
  }

  describe(request: SpeechRequest): string {
    return `http:${this.host}:${this.voiceFor(request)}`;
  }

  async synthesize(request: SpeechRequest, outputPath: string): Promise<void> {
    const deadline = Date.now() + this.config.timeoutMs;
    const values = { text: request.text, language: request.language, voice: this.voiceFor(request) };
    const headers = new Headers(this.config.headers);
    if (this.config.auth !== undefined) headers.set(this.config.auth.header, this.config.auth.value);
    let url = this.config.url;
    let body: string | undefined;
    if (this.config.method === 'GET') {
      const query = fillTemplate(this.config.template, values, 'form');
      url += (url.includes('?') ? '&' : '?') + query;
    } else {
      headers.set('content-type', `${this.config.contentType}; charset=utf-8`);
      body = fillTemplate(this.config.template, values, escapeFor(this.config.contentType));
    }
    const response = await this.call(url, { method: this.config.method, headers, body }, deadline);
    const audio = await this.audioFrom(response, deadline);
    if (audio.length === 0) throw new SpeechFailed(`speech service ${this.host} returned no audio`);
    await writeFile(outputPath, audio);
  }

  private voiceFor(request: SpeechRequest): string {
    const base = request.language.split('-')[0] ?? request.language;
    return request.voice ?? this.config.voices[request.language] ?? this.config.voices[base] ?? '';
  }

  private async audioFrom(response: Response, deadline: number): Promise<Buffer> {
    const shape = this.config.response;
    if (shape.kind === 'audio') return Buffer.from(await response.arrayBuffer());
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new SpeechFailed(`speech service ${this.host} did not answer with JSON`);
    }
    const value = pick(json, shape.field);
    if (typeof value !== 'string' || value === '') {
      throw new SpeechFailed(`speech service ${this.host}: no "${shape.field}" in its answer`);
    }
    if (shape.kind === 'json-base64') return Buffer.from(value, 'base64');
    return this.fetchWhenReady(value, deadline);
  }

  /** Asynchronous services publish the file a few seconds after answering: poll until it is there. */
  private async fetchWhenReady(url: string, deadline: number): Promise<Buffer> {
    for (;;) {
      const response = await this.fetchFn(url, { signal: AbortSignal.timeout(remaining(deadline)) }).catch(
        (err: unknown) => {
          throw new SpeechFailed(`speech service ${this.host}: fetching the audio failed: ${message(err)}`);
        },
      );
      if (response.ok) return Buffer.from(await response.arrayBuffer());
      await response.body?.cancel();
      if (response.status !== 404 || Date.now() + ASYNC_POLL_MS >= deadline) {
        throw new SpeechFailed(`speech service ${this.host}: the audio URL answered ${response.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, ASYNC_POLL_MS));
    }
  }

  private async call(url: string, init: RequestInit, deadline: number): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(remaining(deadline)) });
    } catch (err) {
      throw new SpeechFailed(`speech service ${this.host} unreachable: ${message(err)}`);
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      throw new SpeechFailed(
        `speech service ${this.host} answered ${response.status}${detail ? `: ${detail}` : ''}`,
      );
    }
    return response;
  }
}

function escapeFor(contentType: HttpSpeechConfig['contentType']): 'json' | 'form' | 'plain' {
  if (contentType === 'application/json') return 'json';
  return contentType === 'text/plain' ? 'plain' : 'form';
}

function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
