import type { ApiClient } from '../../integration/console/fixture.js';

/** One second of a rising two-tone siren as 16-bit mono PCM WAV at 16 kHz: real audio the library accepts. */
export function sirenWav(seconds = 1, rate = 16_000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const hz = i % rate < rate / 2 ? 660 : 880;
    phase += (2 * Math.PI * hz) / rate;
    wav.writeInt16LE(Math.round(Math.sin(phase) * 12_000), 44 + i * 2);
  }
  return wav;
}

/** Uploads the siren through the console's audio API; resolves with its library id. */
export async function uploadSiren(api: ApiClient): Promise<string> {
  const form = new FormData();
  form.set('title', 'Còi báo động (bench)');
  form.set('language', 'vi');
  form.set('file', new Blob([new Uint8Array(sirenWav())]), 'coi-bao-dong.wav');
  const res = await api.fetch('/api/audio', { method: 'POST', body: form });
  const body = (await res.json()) as { item?: { id: string }; message?: string };
  if ((res.status !== 201 && res.status !== 200) || !body.item)
    throw new Error(`audio upload answered ${res.status}: ${body.message}`);
  return body.item.id;
}
