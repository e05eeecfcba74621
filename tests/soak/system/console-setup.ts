import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVINCE_AREA_ID } from '../../../scripts/province/areas-file.js';
import { ApiClient } from '../../integration/console/fixture.js';
import type { ProvisionedProvince } from './provision.js';

export const SOAK_PASSWORD = 'soak: correct horse battery staple';

/** A user as a person makes one: first sign-in with the one-time password, then a password of their own. */
async function firstSignIn(url: string, username: string, oneTimePassword: string): Promise<ApiClient> {
  const client = new ApiClient(url);
  await client.signIn(username, oneTimePassword);
  const changed = await client.post('/api/auth/password', {
    currentPassword: oneTimePassword,
    newPassword: SOAK_PASSWORD,
  });
  if (changed.status !== 200 && changed.status !== 204)
    throw new Error(`password change for ${username}: ${changed.status} ${JSON.stringify(changed.body)}`);
  return client;
}

export interface ConsoleSession {
  admin: ApiClient;
  operator: ApiClient;
  /** The console's signing key (private PEM, from its data dir) and its public half. */
  keyPem: string;
  publicKeyPem: string;
  /** The `_console` MQTT password the console issued itself through the registry. */
  mqttPassword: string;
}

/** Through the API, as the province's administrator would on day one. */
export async function setUpConsole(
  url: string,
  logFile: string,
  consoleData: string,
): Promise<ConsoleSession> {
  const oneTime = /with the one-time password\s+(\S+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
  if (!oneTime) throw new Error(`no one-time admin password in ${logFile}`);
  const admin = await firstSignIn(url, 'admin', oneTime);
  const created = await admin.post<{ oneTimePassword: string }>('/api/users', {
    username: 'vanhanh.tinh',
    displayName: 'Vận hành cấp tỉnh',
    roles: ['operator'],
    areaIds: [PROVINCE_AREA_ID],
  });
  if (created.status !== 201)
    throw new Error(`POST /api/users: ${created.status} ${JSON.stringify(created.body)}`);
  const operator = await firstSignIn(url, 'vanhanh.tinh', created.body.oneTimePassword);
  const keyPem = readFileSync(join(consoleData, 'console-signing-key.pem'), 'utf8');
  const publicKeyPem = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();
  const mqttPassword = readFileSync(join(consoleData, 'console-mqtt-password'), 'utf8').trim();
  return { admin, operator, keyPem, publicKeyPem, mqttPassword };
}

/** Places every cluster in its commune through the console (groups pushed to the cluster). */
export async function placeClusters(
  admin: ApiClient,
  clusters: ProvisionedProvince['clusters'],
): Promise<Map<string, string[]>> {
  const groups = new Map<string, string[]>();
  for (const c of clusters) {
    const res = await admin.put<{ groups: string[] }>(`/api/devices/${c.id}/area`, { areaId: c.communeId });
    if (res.status !== 200) throw new Error(`place ${c.id}: ${res.status} ${JSON.stringify(res.body)}`);
    groups.set(c.id, res.body.groups);
  }
  return groups;
}

/** Vietnam local date and time (UTC+7, no DST) of an instant, as the schedule API takes them. */
function vietnamLocal(epochMs: number): { date: string; time: string } {
  const iso = new Date(epochMs + 7 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

/** One spoken bulletin and a one-off province-wide broadcast of it at each of `times`. */
export async function scheduleBroadcasts(
  operator: ApiClient,
  times: readonly number[],
): Promise<{ audioId: string; durationMs: number }> {
  const spoken = await operator.post<{ item: { id: string; durationMs: number } }>('/api/audio/tts', {
    text: 'Thông báo thử nghiệm hệ thống truyền thanh. Xin cảm ơn bà con.',
    title: 'Thông báo thử nghiệm',
    language: 'vi',
  });
  if (spoken.status !== 201 && spoken.status !== 200)
    throw new Error(`POST /api/audio/tts: ${spoken.status} ${JSON.stringify(spoken.body)}`);
  for (const [i, at] of times.entries()) {
    const res = await operator.post('/api/schedules', {
      title: `Bản tin thử nghiệm ${i + 1}`,
      target: { kind: 'area', areaId: PROVINCE_AREA_ID },
      recurrence: { kind: 'once', ...vietnamLocal(at) },
      playlist: [spoken.body.item.id],
      volume: 70,
    });
    if (res.status !== 201) throw new Error(`POST /api/schedules: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { audioId: spoken.body.item.id, durationMs: spoken.body.item.durationMs };
}

/** Clusters whose gateway has acknowledged the latest signed schedule. */
export async function inSync(operator: ApiClient): Promise<number> {
  const sync = await operator.get<{ clusters: { state: string }[] }>('/api/schedules/sync');
  if (sync.status !== 200) return -1;
  return sync.body.clusters.filter((c) => c.state === 'in-sync').length;
}
