import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedStore, type Point } from '@xaso/collector';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, tempDir } from '../../harness/index.js';
import { type ConsoleStack, TEST_PASSWORD, startConsoleStack } from '../console/fixture.js';

export const YEAR_STATION = 'bench-air-01';
const YEAR_MS = 365 * 86_400_000;
const BATCH = 20_000;

export interface YearChartRun {
  /** Points per field written (105,120 for a year of 5-minute data). */
  written: number;
  writeMs: number;
  /** Click on the year preset → series request → chart drawn, in the page's clock. */
  chartYear(): Promise<{ ms: number; points: number }>;
  /** The same series request alone, from Node (the baseline the chart adds to). */
  apiYear(): Promise<{ ms: number; bytes: number }>;
  close(): Promise<void>;
}

/** A year of PM2.5/PM10 every `stepMs`, through the embedded store's own write path (rollups included). */
async function writeYear(path: string, stepMs: number, now: number): Promise<number> {
  const store = new EmbeddedStore({ path, rawRetentionDays: 400, rollup5mRetentionDays: 400 });
  let batch: Point[] = [];
  let written = 0;
  for (let t = Math.ceil((now - YEAR_MS) / stepMs) * stepMs; t < now; t += stepMs) {
    const pm25 = 35 + 25 * Math.sin((t / 86_400_000) * 2 * Math.PI) + 10 * Math.sin(t / 7_000_000);
    batch.push({
      measurement: 'air',
      tags: { device: YEAR_STATION, source: 'aqms', profile: 'air-station-aqms' },
      fields: { pm25, pm10: pm25 * 1.7 },
      time: t,
    });
    written++;
    if (batch.length === BATCH) {
      await store.write(batch);
      batch = [];
    }
  }
  await store.write(batch);
  await store.close();
  return written;
}

/**
 * Console (the test fixture) reading an embedded store that holds a year of one station, plus Chromium
 * signed in as an environment officer with the station page open.
 */
export async function startYearChart(stepMs: number): Promise<YearChartRun> {
  const now = Date.now();
  const dir = await tempDir('xs-year-chart-');
  const path = join(dir, 'timeseries.db');
  let stack: ConsoleStack | undefined;
  let browser: Browser | undefined;
  try {
    const started = await startConsoleStack({
      config: { timeSeries: { kind: 'embedded', path, rawRetentionDays: 400, rollup5mRetentionDays: 400 } },
    });
    stack = started;
    // Written beside the console's read connection, as the collector writes beside it in npm start.
    const t0 = performance.now();
    const written = await writeYear(path, stepMs, now);
    const writeMs = performance.now() - t0;
    started.registry.createDevice({
      id: YEAR_STATION,
      role: 'sensor-gateway',
      name: 'Trạm năm',
      areaId: 'xa-tan-bien',
    });
    await started.createUser('env-year', ['environment']);
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    const page: Page = await context.newPage();
    await page.goto(started.url);
    await page.getByLabel('Tên đăng nhập').fill('env-year');
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor({ timeout: 30_000 });
    await page.goto(`${started.url}/#/environment?station=${YEAR_STATION}`);
    await page.locator('xs-station-detail[data-points]').waitFor({ timeout: 30_000 });
    const api = await started.login('env-year');
    const held = { stack: started, browser };
    return {
      written,
      writeMs,
      async chartYear() {
        const day = page.getByRole('button', { name: 'Ngày', exact: true });
        const year = page.getByRole('button', { name: 'Năm', exact: true });
        await day.evaluate(
          (el) =>
            new Promise<void>((resolve) => {
              document.addEventListener('drawn', () => resolve(), { once: true });
              (el as HTMLButtonElement).click();
            }),
        );
        return year.evaluate(
          (el) =>
            new Promise<{ ms: number; points: number }>((resolve) => {
              const started = performance.now();
              document.addEventListener(
                'drawn',
                (e) =>
                  resolve({
                    ms: performance.now() - started,
                    points: (e as CustomEvent<{ points: number }>).detail.points,
                  }),
                { once: true },
              );
              (el as HTMLButtonElement).click();
            }),
        );
      },
      async apiYear() {
        const to = Date.now();
        const t = performance.now();
        const res = await api.fetch(
          `/api/environment/stations/${YEAR_STATION}/series?fields=pm25&from=${to - 366 * 86_400_000}&to=${to}&maxPoints=2000`,
        );
        const body = await res.text();
        if (res.status !== 200) throw new Error(`series: ${res.status} ${body}`);
        return { ms: performance.now() - t, bytes: body.length };
      },
      async close() {
        await held.browser.close();
        await held.stack.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
