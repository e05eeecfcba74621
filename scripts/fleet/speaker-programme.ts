import { randomBytes } from 'node:crypto';
import type { RunningConsole } from '@xaso/console';
import type { Logger } from 'pino';
import { PROVINCE_AREA_ID } from '../province/areas-file.js';

/** The simulation's own console user: the sample programme is entered through the API like a person would. */
export const PROGRAMME_USER = 'sim-programme';
const TITLE = 'Chương trình phát thanh buổi sáng';
const TEXT =
  'Kính thưa bà con. Đây là chương trình phát thanh buổi sáng của tỉnh Tây Ninh. ' +
  'Mời bà con theo dõi bản tin thời sự, thời tiết và thông báo của xã.';

async function call(
  url: string,
  path: string,
  body: unknown,
  session: { cookie?: string; csrf?: string },
): Promise<{ status: number; json: Record<string, unknown>; cookie: string | undefined }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session.cookie) headers.cookie = session.cookie;
  if (session.csrf) headers['x-csrf-token'] = session.csrf;
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, cookie };
}

/**
 * A daily 06:00 programme for the whole province, created on the first start: the item spoken by the
 * console's text-to-speech into the audio library, the schedule saved through POST /api/schedules.
 * Resolves with a line for the start-up table, never rejects (the stack runs without it).
 */
export async function morningProgramme(running: RunningConsole, log: Logger): Promise<string> {
  const users = running.core.users;
  if (users.byUsername(PROGRAMME_USER)) return 'morning programme from an earlier start';
  try {
    const speak = running.ctx.audio.synthesize;
    if (!speak) return 'no morning programme: the audio library has no text-to-speech';
    const item = await speak.call(running.ctx.audio, {
      text: TEXT,
      title: TITLE,
      language: 'vi',
      actor: PROGRAMME_USER,
    });
    const password = randomBytes(24).toString('base64url');
    await users.create({
      username: PROGRAMME_USER,
      displayName: 'Chương trình mẫu (mô phỏng)',
      roles: ['operator'],
      areaIds: [PROVINCE_AREA_ID],
      password,
    });
    const login = await call(running.url, '/api/auth/login', { username: PROGRAMME_USER, password }, {});
    if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
    const session = { cookie: login.cookie, csrf: String(login.json.csrfToken) };
    const saved = await call(
      running.url,
      '/api/schedules',
      {
        title: TITLE,
        target: { kind: 'area', areaId: PROVINCE_AREA_ID },
        recurrence: { kind: 'daily', time: '06:00' },
        playlist: [item.id],
        volume: 80,
      },
      session,
    );
    if (saved.status !== 201)
      throw new Error(`POST /api/schedules answered ${saved.status}: ${JSON.stringify(saved.json)}`);
    return 'daily 06:00 morning programme for the province';
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'sample broadcast schedule not created');
    return `no morning programme (${(err as Error).message})`;
  }
}
