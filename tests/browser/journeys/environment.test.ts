import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startRunningSystem } from './running-system.js';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const AIR = 'tn-air-01';
const WATER = 'tn-water-01';
let sys: RunningSystem;

beforeAll(async () => {
  sys = await startRunningSystem();
  await sys.createUser('moi-truong', ['environment']);
  await sys.createUser('van-phong-tan-bien', ['operator', 'environment'], ['tn-tan-bien']);
}, 240_000);

afterAll(async () => {
  await sys?.close();
});

/** Ammonium far over QCVN 08:2023 (0.3 mg/L), published as the water station's gateway publishes it. */
async function pollutedWaterReading(): Promise<void> {
  const config = JSON.parse(
    await readFile(join(sys.dataDir, 'sim', 'gateways', WATER, 'gateway.json'), 'utf8'),
  ) as {
    mqtt: { url: string; username: string; password: string };
  };
  const gateway = await mqtt.connectAsync(config.mqtt.url, {
    clientId: `${WATER}`,
    username: config.mqtt.username,
    password: config.mqtt.password,
    reconnectPeriod: 0,
  });
  const ts = Date.now();
  const payload = {
    v: 1,
    deviceId: WATER,
    seq: 50_000_000,
    ts,
    readings: [{ source: 'probe', channel: 'nh4', value: 4.2, unit: 'mg/L', ts, quality: 'good' }],
  };
  await gateway.publishAsync(topics.telemetry(WATER), JSON.stringify(payload), { qos: 1 });
  await gateway.endAsync();
}

const detail = (page: Page) => page.locator('xs-station-detail');

async function chartDrawn(
  page: Page,
  previousPoints?: string,
): Promise<{ points: number; intervalMs: number }> {
  await expect
    .poll(async () => (await detail(page).getAttribute('data-points')) ?? '', { timeout: 20_000 })
    .not.toBe(previousPoints ?? '');
  return {
    points: Number(await detail(page).getAttribute('data-points')),
    intervalMs: Number(await detail(page).getAttribute('data-interval-ms')),
  };
}

describe('environment officer journey: stations, chart zoom, CSV, alarms, reports', () => {
  it('opens the air station, sees values and the AQI badge, zooms the chart, exports CSV', async () => {
    const page = await sys.newPage(LAPTOP);
    await sys.signIn(page, 'moi-truong');
    await page.getByRole('link', { name: 'Môi trường' }).click();
    const air = page.locator(`article[data-station-id="${AIR}"]`);
    await air.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => air.locator('xs-index-badge .badge').textContent(), { timeout: 20_000 })
      .toMatch(/VN_AQI\s*\d+/);
    await expect.poll(() => air.locator('dl').textContent(), { timeout: 20_000 }).toContain('µg/m³');
    await page.locator(`article[data-station-id="${WATER}"]`).waitFor();
    await sys.screenshot(page, 'console-environment');

    await air.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Trung tâm xã Tân Biên' }).waitFor();
    const pm25 = page.locator('tr[data-field="pm25"] td').first();
    await expect.poll(() => pm25.textContent(), { timeout: 20_000 }).toMatch(/\d/);
    const badge = page.locator('xs-station-detail xs-index-badge .badge');
    const category = await badge.textContent();
    expect(category).toMatch(/Tốt|Trung bình|Kém|Xấu|Rất xấu|Nguy hại/);
    // The official colour of that category, painted despite the CSP's ban on style attributes.
    const official: Record<string, string> = {
      Tốt: 'rgb(0, 228, 0)',
      'Trung bình': 'rgb(255, 255, 0)',
      Kém: 'rgb(255, 126, 0)',
      Xấu: 'rgb(255, 0, 0)',
      'Rất xấu': 'rgb(143, 63, 151)',
      'Nguy hại': 'rgb(126, 0, 35)',
    };
    const name = Object.keys(official)
      .sort((a, b) => b.length - a.length)
      .find((n) => category?.includes(n));
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(official[name ?? '']);
    const day = await chartDrawn(page);
    expect(day.points).toBeGreaterThan(10);
    await sys.screenshot(page, 'console-station');

    // Week preset, then a drag across a slice of it: the page asks the server for that slice, finer.
    await page.getByRole('button', { name: 'Tuần', exact: true }).click();
    const week = await chartDrawn(page, String(day.points));
    const over = page.locator('xs-station-chart .u-over');
    const box = await over.boundingBox();
    if (!box) throw new Error('chart not laid out');
    const zoomed = page.waitForResponse((r) => r.url().includes('/series?') && r.status() === 200);
    await page.mouse.move(box.x + box.width * 0.88, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.93, box.y + box.height / 2, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.97, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const url = new URL((await zoomed).url());
    const span = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
    expect(span).toBeLessThan(7 * 86_400_000 * 0.2);
    await expect
      .poll(async () => Number(await detail(page).getAttribute('data-interval-ms')), { timeout: 20_000 })
      .toBeLessThan(week.intervalMs);
    expect(await page.getByRole('button', { name: 'Tuần', exact: true }).getAttribute('aria-pressed')).toBe(
      'false',
    );

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Tải CSV' }).click();
    const file = await (await download).path();
    const csv = await readFile(file);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').split('\r\n');
    expect(lines[2]).toContain('Bụi PM2.5 (µg/m³) trung bình');
    expect(lines[3]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2},/);

    const phone = await sys.newPage(PHONE);
    await sys.signIn(phone, 'moi-truong');
    await phone.goto(`${sys.url}/#/environment`);
    await phone.locator(`article[data-station-id="${AIR}"] xs-index-badge`).waitFor();
    await expect
      .poll(() => phone.locator(`article[data-station-id="${AIR}"] dl`).count(), { timeout: 20_000 })
      .toBe(1);
    await sys.screenshot(phone, 'console-environment-phone');
    await phone.goto(`${sys.url}/#/environment?station=${AIR}`);
    await chartDrawn(phone);
    await sys.screenshot(phone, 'console-station-phone');
  });

  it('acknowledges an alarm raised by a reading over QCVN 08 through the real MQTT path', async () => {
    await pollutedWaterReading();
    const page = await sys.newPage(LAPTOP);
    await sys.signIn(page, 'moi-truong');
    await page.goto(`${sys.url}/#/environment?tab=alarms`);
    const row = page
      .locator('tr[data-alarm-id]', { hasText: 'Kênh Tây' })
      .filter({ hasText: /NH|nh4|Amoni/i });
    await expect
      .poll(
        async () => {
          if ((await row.count()) > 0) return true;
          await page.reload();
          await page.locator('xs-alarm-list [role="status"]').first().waitFor();
          return (await row.count()) > 0;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    const id = await row.first().getAttribute('data-alarm-id');
    const first = page.locator(`tr[data-alarm-id="${id}"]`);
    await first.getByLabel('Ghi chú xử lý').fill('Đã báo UBND xã Phước Vinh kiểm tra cống số 3');
    await first.getByRole('button', { name: /Xác nhận cảnh báo/ }).click();
    await page.getByText('Đã xác nhận cảnh báo.').waitFor();
    await page.getByText('Đã báo UBND xã Phước Vinh kiểm tra cống số 3').waitFor();
    await expect.poll(() => first.textContent()).toContain('moi-truong xác nhận lúc');
    await sys.screenshot(page, 'console-alarms');
    const audit = await sys.admin.get<{ entries: { action: string; actor: string }[] }>(
      '/api/audit?limit=100',
    );
    expect(JSON.stringify(audit.body)).toMatch(/alarm\.acknowledge/);

    const phone = await sys.newPage(PHONE);
    await sys.signIn(phone, 'moi-truong');
    await phone.goto(`${sys.url}/#/environment?tab=alarms`);
    await phone.locator('tr[data-alarm-id]').first().waitFor();
    await sys.screenshot(phone, 'console-alarms-phone');
  });

  it('shows the broadcast log and the environmental summary of a commune, with CSV and print', async () => {
    for (const [viewport, name] of [
      [LAPTOP, 'console-reports'],
      [PHONE, 'console-reports-phone'],
    ] as const) {
      const page = await sys.newPage(viewport);
      await sys.signIn(page, 'van-phong-tan-bien');
      await page.goto(`${sys.url}/#/reports`);
      await page.getByLabel('Địa bàn').selectOption('tn-tan-bien');
      await page.getByRole('button', { name: 'Xem báo cáo' }).click();
      await page.getByRole('heading', { name: /Tổng hợp quan trắc môi trường · Xã Tân Biên/ }).waitFor();
      await page.getByRole('heading', { name: /Nhật ký phát thanh · Xã Tân Biên/ }).waitFor();
      await page.locator(`article[data-station-id="${AIR}"]`).waitFor();
      const print = page.locator('a', { hasText: 'Bản in' }).last();
      expect(await print.getAttribute('href')).toContain(
        '/api/environment/reports/summary/print?areaId=tn-tan-bien',
      );
      await sys.screenshot(page, name);
    }
  });
});
