import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioView } from '../../../console/src/audio/scoped-items.js';
import { launchBrowser } from '../../harness/index.js';
import { makeSample } from '../../unit/console-audio/samples.js';
import { type ApiClient, type ConsoleStack, TEST_PASSWORD, startConsoleStack } from '../console/fixture.js';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
let stack: ConsoleStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const samples: Record<string, string> = {};

async function seed(client: ApiClient, file: string, title: string, areaId?: string): Promise<AudioView> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await readFile(file))]), 'seed.mp3');
  form.set('title', title);
  if (areaId !== undefined) form.set('areaId', areaId);
  const res = await client.fetch('/api/audio', { method: 'POST', body: form });
  const body = (await res.json()) as { item: AudioView };
  if (res.status !== 201) throw new Error(`seed ${title}: ${res.status} ${JSON.stringify(body)}`);
  return body.item;
}

async function signedIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Thư viện âm thanh' }).click();
  await page.getByRole('heading', { name: 'Tải tệp âm thanh lên' }).waitFor();
  return page;
}

const titles = async (page: Page) =>
  (await page.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim()).sort();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  let dir = '';
  [stack, browser] = await Promise.all([
    startConsoleStack({ config: { audio: { loudness: { enabled: false } } } }).then((s) => {
      dir = s.dir;
      return s;
    }),
    launchBrowser(),
  ]);
  await Promise.all(
    [1, 2, 3, 4].map(async (seconds) => {
      samples[seconds] = await makeSample(dir, `s${seconds}.mp3`, 'mp3', { seconds });
    }),
  );
  await stack.createUser('canbo-tb', ['operator'], ['xa-tan-bien']);
  await stack.createUser('canbo-tl', ['operator'], ['xa-tan-lap']);
  await stack.createUser('truc-tinh', ['operator'], ['tay-ninh']);
  await seed(await stack.login('canbo-tl'), samples[1] ?? '', 'Họp dân Tân Lập');
  await seed(await stack.login('truc-tinh'), samples[2] ?? '', 'Bản tin tỉnh', '');
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stack?.close();
});

describe('the audio page scoped to areas (Chromium)', () => {
  it('shows a commune operator the owner of each item, only what they may use, and filters mine / shared', async () => {
    const page = await signedIn('canbo-tb');
    await page.getByLabel('Tệp (MP3, WAV, OGG)').setInputFiles(samples[3] ?? '');
    await page.getByLabel('Tên hiển thị').first().fill('Lịch tiêm phòng');
    // Their commune first: the server's default owner, chosen unless they pick a village below it.
    const owner = page.locator('#upload-owner');
    expect(await owner.inputValue()).toBe('xa-tan-bien');
    expect(await owner.locator('option').allTextContents()).not.toContain('Cấp tỉnh (dùng chung)');
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thêm “Lịch tiêm phòng”' }).waitFor();
    await expect.poll(() => titles(page)).toEqual(['Bản tin tỉnh', 'Lịch tiêm phòng']);
    const own = page.locator('tr', { hasText: 'Lịch tiêm phòng' });
    expect((await own.locator('.owner').textContent())?.trim()).toBe('Xã Tân Biên');
    const province = page.locator('tr', { hasText: 'Bản tin tỉnh' });
    expect((await province.locator('.owner').textContent())?.trim()).toBe('Cấp tỉnh (dùng chung)');

    await page.locator('select[name="scope"]').selectOption('shared');
    await expect.poll(() => titles(page)).toEqual(['Bản tin tỉnh']);
    await page.locator('select[name="scope"]').selectOption('mine');
    await expect.poll(() => titles(page)).toEqual(['Lịch tiêm phòng']);
    await page.locator('select[name="scope"]').selectOption('all');
    await expect.poll(() => titles(page)).toEqual(['Bản tin tỉnh', 'Lịch tiêm phòng']);
    await page.screenshot({ path: join(SCREENSHOTS, 'audio-scope-commune.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('columnheader', { name: 'Belongs to' }).waitFor();
    expect((await province.locator('.owner').textContent())?.trim()).toBe('Province (shared)');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  }, 60_000);

  it('lets province staff choose the owner area when uploading', async () => {
    const page = await signedIn('truc-tinh');
    await expect.poll(() => titles(page)).toEqual(['Bản tin tỉnh', 'Họp dân Tân Lập', 'Lịch tiêm phòng']);
    const owner = page.locator('#upload-owner');
    expect(await owner.inputValue()).toBe('');
    await owner.selectOption({ label: 'Xã Tân Lập' });
    await page.getByLabel('Tệp (MP3, WAV, OGG)').setInputFiles(samples[4] ?? '');
    await page.getByLabel('Tên hiển thị').first().fill('Gửi Tân Lập');
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thêm “Gửi Tân Lập”' }).waitFor();
    const row = page.locator('tr', { hasText: 'Gửi Tân Lập' });
    await expect.poll(async () => (await row.locator('.owner').textContent())?.trim()).toBe('Xã Tân Lập');
    const listed = await (await stack.login('canbo-tl')).get<{ items: AudioView[] }>('/api/audio?scope=mine');
    expect(listed.body.items.map((i) => i.title).sort()).toEqual(['Gửi Tân Lập', 'Họp dân Tân Lập']);
  }, 60_000);

  it('lets an admin share a commune’s item province-wide from the list', async () => {
    await stack.login('admin');
    const page = await signedIn('test-admin');
    const row = page.locator('tr', { hasText: 'Họp dân Tân Lập' });
    await row.getByRole('button', { name: 'Chia sẻ toàn tỉnh' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã chia sẻ “Họp dân Tân Lập”' }).waitFor();
    await expect
      .poll(async () => (await row.locator('.owner').textContent())?.trim())
      .toBe('Xã Tân Lập · dùng chung toàn tỉnh');
    await page.screenshot({ path: join(SCREENSHOTS, 'audio-scope-admin.png'), fullPage: true });
    const commune = await (await stack.login('canbo-tb')).get<{ items: AudioView[] }>(
      '/api/audio?scope=shared',
    );
    expect(commune.body.items.map((i) => i.title).sort()).toEqual(['Bản tin tỉnh', 'Họp dân Tân Lập']);
  }, 60_000);
});
