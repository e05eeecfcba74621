import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, tempDir } from '../../harness/index.js';
import { type ConsoleStack, TEST_PASSWORD, startConsoleStack } from '../console/fixture.js';
import { expectedState, regionFleet, seedFleet } from './fleet-seed.js';

/** Three communes of 240 clusters: past the 500 devices above which the map shows counts per commune. */
const COMMUNES = [{ id: 'xa-a' }, { id: 'xa-b' }, { id: 'xa-c' }];
const AREAS = [
  { id: 'tinh', parentId: null, name: 'Tỉnh Thử', kind: 'province', lat: 11.3, lon: 106.1 },
  { id: 'xa-a', parentId: 'tinh', name: 'Xã Tân An', kind: 'commune', lat: 11.2, lon: 106.0 },
  { id: 'xa-b', parentId: 'tinh', name: 'Xã Bình Minh', kind: 'commune', lat: 11.35, lon: 106.2 },
  { id: 'xa-c', parentId: 'tinh', name: 'Xã Cầu Khởi', kind: 'commune', lat: 11.45, lon: 106.05 },
];
const FLEET = regionFleet(COMMUNES, 240, 0);
const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

describe('the devices page and the map with a large fleet, in Chromium', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await tempDir('xs-console-scale');
    const collectorStateDb = join(stateDir, 'state.sqlite');
    [stack, browser] = await Promise.all([
      startConsoleStack({
        areas: AREAS,
        config: { collectorStateDb, map: { tileUrl: '' } },
        start: { logger: pino({ level: 'warn' }) },
      }),
      launchBrowser(),
    ]);
    seedFleet(
      { registry: stack.registry, groupsFor: (a) => stack.console.core.placement.groupsFor(a) },
      collectorStateDb,
      FLEET,
    );
    await stack.createUser('ky-thuat', ['technician']);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByLabel('Tên đăng nhập').fill('ky-thuat');
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('link', { name: 'Thiết bị' }).waitFor();
    return page;
  }

  it('pages and searches the device list on the server', async () => {
    const page = await signedIn();
    await page.goto(`${stack.url}/#/devices`);
    const status = page.locator('xs-devices-page .pager [role="status"]');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('Thiết bị 1–50 trên tổng số 720');
    expect(await page.locator('xs-devices-page tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: 'Trang sau →' }).click();
    await expect.poll(() => status.textContent()).toBe('Thiết bị 51–100 trên tổng số 720');
    const firstOfSecond = await page
      .locator('xs-devices-page tbody tr')
      .first()
      .getAttribute('data-device-id');
    expect(firstOfSecond).toBe([...FLEET].map((d) => d.id).sort()[50]);
    await page.getByLabel('Tìm theo tên hoặc mã').fill('LOA-001-00016');
    await expect.poll(() => status.textContent()).toBe('Thiết bị 1–1 trên tổng số 1');
    expect(await page.locator('xs-devices-page tbody tr').getAttribute('data-device-id')).toBe(
      'loa-001-00016',
    );
    await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
    await page.getByLabel('Tình trạng').selectOption('playing');
    const playing = FLEET.filter((d) => expectedState(d).playing).length;
    await expect.poll(() => status.textContent()).toBe(`Thiết bị 1–50 trên tổng số ${playing}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-devices-paged.png'), fullPage: true });
  }, 90_000);

  it('shows a count per commune at province scale, and each device once a commune is picked or zoomed into', async () => {
    const page = await signedIn();
    await page.goto(`${stack.url}/#/map`);
    const summaries = page.locator('xs-map-page .leaflet-marker-icon[data-area-id]');
    await expect.poll(() => summaries.count(), { timeout: 20_000 }).toBe(3);
    expect(await page.locator('xs-map-page .leaflet-marker-icon[data-item-id]').count()).toBe(0);
    expect(await summaries.first().textContent()).toBe('240');
    const row = page.locator('xs-map-page tbody tr[data-area-id="xa-b"]');
    const online = FLEET.filter((d) => d.areaId === 'xa-b' && expectedState(d).online).length;
    expect(await row.locator('td').nth(2).textContent()).toBe(String(online));
    await page.screenshot({ path: join(SCREENSHOTS, 'console-map-summary.png'), fullPage: true });
    // The kind checkboxes count too: without clusters these communes hold nothing to show.
    await page.getByRole('checkbox', { name: 'Cụm loa' }).uncheck();
    await expect.poll(() => summaries.count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Cụm loa' }).check();
    await expect.poll(() => summaries.count()).toBe(3);

    await page.locator('xs-map-page .leaflet-marker-icon[data-area-id="xa-b"]').click();
    const devices = page.locator('xs-map-page .leaflet-marker-icon[data-item-id]');
    await expect.poll(() => devices.count(), { timeout: 20_000 }).toBe(240);
    expect(await summaries.count()).toBe(0);
    expect(await page.locator('xs-map-page tbody tr[data-item-id^="loa-001-"]').count()).toBe(240);
    expect(await page.locator('xs-map-page tbody tr[data-item-id^="loa-000-"]').count()).toBe(0);

    await page.getByLabel('Khu vực').selectOption('');
    await expect.poll(() => summaries.count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => devices.count()).toBe(0);

    // Zooming in opens the commune in the middle of the view; zooming back out brings the counts back.
    const press = async (button: 'in' | 'out', until: () => Promise<boolean>) => {
      for (let i = 0; i < 8 && !(await until()); i++) {
        await page.locator(`xs-map-page .leaflet-control-zoom-${button}`).click();
        await page.waitForTimeout(700);
      }
    };
    await press('in', async () => (await devices.count()) > 0);
    await expect.poll(() => devices.count(), { timeout: 20_000 }).toBe(240);
    expect(await summaries.count()).toBe(0);
    await press('out', async () => (await summaries.count()) > 0);
    await expect.poll(() => summaries.count(), { timeout: 20_000 }).toBe(3);
    expect(await devices.count()).toBe(0);
  }, 90_000);
});
