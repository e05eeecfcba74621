import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePackage, killChild, spawnReady } from '../../harness/index.js';
import { type RunningSystem, startRunningSystem } from './running-system.js';

const ROOT = join(import.meta.dirname, '../../..');
const PHONE = { width: 390, height: 844 };
const NEW_ID = 'tram-thu-tan-bien';
const NEW_NAME = 'Trạm bụi thử nghiệm Tân Biên';
let sys: RunningSystem;
let gateway: ChildProcess | undefined;

beforeAll(async () => {
  // The simulation's morning programme is spoken by the console's text-to-speech: the item we play.
  await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
  sys = await startRunningSystem();
  await sys.createUser('ky-thuat', ['technician']);
  // The province's duty officer watches the whole map, stations' indices included.
  await sys.createUser('truc-tinh', ['operator'], ['tay-ninh']);
}, 240_000);

afterAll(async () => {
  if (gateway) await killChild(gateway, 'SIGTERM');
  await sys?.close();
});

/** The broker's HTTP endpoint (enrollment), from the endpoint table `npm start` prints. */
function brokerHttpUrl(): string {
  const url = /broker\s+HTTP\s+(http:\/\/\S+)/.exec(sys.process.stdout)?.[1];
  if (!url) throw new Error(`no broker HTTP endpoint in the npm start output:\n${sys.process.stdout}`);
  return url;
}

/** `npm run gateway -- <args>` to its end, with its output. */
function runGatewayCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'gateway', '--', ...args], { cwd: ROOT });
    let out = '';
    const collect = (b: Buffer) => {
      out += b.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const marker = (page: Page, id: string) =>
  page.locator(`xs-map-page .leaflet-marker-icon[data-item-id="${id}"]`);
const stateOf = (page: Page, id: string) => marker(page, id).getAttribute('data-state');

async function openMap(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Bản đồ' }).click();
  await page.getByRole('heading', { name: 'Bản đồ tổng quan' }).waitFor();
  // No internet here: the tiles fail and the map says it shows the schematic.
  await page.getByText(/đang hiển thị sơ đồ vị trí/).waitFor({ timeout: 20_000 });
}

describe('technician journey: provisioning, enrollment with the code, live map and device detail', () => {
  it('shows the province on the schematic map: 6 clusters and 2 stations, one cluster playing, live', async () => {
    const watcher = 'truc-tinh';
    const firstItem = async () =>
      (await sys.admin.get<{ items: { id: string }[] }>('/api/audio')).body.items?.[0]?.id;
    await expect.poll(firstItem, { timeout: 30_000 }).toBeTruthy();
    const itemId = await firstItem();
    const page = await sys.newPage({ width: 1366, height: 768 });
    await sys.signIn(page, watcher);
    await openMap(page);
    const items = page.locator('xs-map-page .leaflet-marker-icon');
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(8);
    const clusters = await page.locator('xs-map-page tbody tr[data-item-id^="loa-"]').count();
    expect(clusters).toBe(6);
    await expect.poll(() => stateOf(page, 'loa-tn-tan-bien-01'), { timeout: 20_000 }).toBe('online');
    await page.locator('xs-map-page .commune-label', { hasText: 'Xã Tân Biên' }).waitFor();

    // A broadcast to one cluster: the stream brings "playing" to the map without reloading.
    const played = await sys.admin.post('/api/broadcasts', {
      kind: 'play',
      title: 'Thông báo lịch tiêm chủng',
      targets: [{ kind: 'cluster', clusterId: 'loa-tn-tan-bien-01' }],
      playlist: [itemId],
      repeat: 20,
    });
    expect([201, 202]).toContain(played.status);
    await expect.poll(() => stateOf(page, 'loa-tn-tan-bien-01'), { timeout: 20_000 }).toBe('playing');
    await expect
      .poll(() => page.locator('xs-map-page .legend [data-legend="playing"] strong').textContent())
      .toBe('1');
    await marker(page, 'loa-tn-tan-bien-01').click();
    await page.locator('xs-map-page .leaflet-popup-content', { hasText: 'Đang phát' }).waitFor();
    await sys.screenshot(page, 'console-map');
    await page.keyboard.press('Escape');

    // Filters: stations only, then one commune.
    await page.getByRole('checkbox', { name: 'Cụm loa' }).uncheck();
    await expect.poll(() => items.count()).toBe(2);
    await page.getByRole('checkbox', { name: 'Cụm loa' }).check();
    await page.getByLabel('Khu vực').selectOption('tn-phuoc-vinh');
    await expect.poll(() => page.locator('xs-map-page tbody tr').count()).toBeLessThan(8);

    const phone = await sys.newPage(PHONE);
    await sys.signIn(phone, watcher);
    await openMap(phone);
    await expect
      .poll(() => phone.locator('xs-map-page .leaflet-marker-icon').count(), { timeout: 20_000 })
      .toBe(8);
    await sys.screenshot(phone, 'console-map-phone');
  }, 150_000);

  it('provisions a station, places it on the map, and sees it go online live when the real gateway enrolls with the code', async () => {
    const page = await sys.newPage({ width: 1366, height: 768 });
    await sys.signIn(page, 'ky-thuat');
    await page.getByRole('link', { name: 'Thiết bị' }).click();
    await page.getByLabel('Mã thiết bị').fill(NEW_ID);
    await page.getByLabel('Tên dễ nhớ').fill(NEW_NAME);
    await page.getByLabel('Loại thiết bị').selectOption('sensor-gateway');
    await page.getByLabel('Cấu hình thiết bị (profile)').fill('pm-sensor-rs485');
    await page.getByLabel('Khu vực').selectOption('tn-tan-bien');
    await page.getByRole('button', { name: 'Tạo thiết bị và lấy mã đăng ký' }).click();
    const codeText = page.locator('xs-devices-page .enrollment-code strong');
    await codeText.waitFor({ timeout: 15_000 });
    const code = (await codeText.textContent())?.trim() ?? '';
    expect(code.length).toBeGreaterThan(5);
    await page.locator('xs-devices-page xs-qr svg').waitFor();
    await sys.screenshot(page, 'console-provisioning');

    // Place it on the map of its detail page (reached from the devices list): a click near the commune's
    // centre fills the coordinates, which the technician then saves.
    await page.locator(`xs-devices-page a[href="#/device?id=${NEW_ID}"]`).click();
    await page.getByRole('heading', { name: NEW_NAME }).waitFor();
    const picker = page.locator('xs-position-picker .map');
    await picker.waitFor();
    const box = await picker.boundingBox();
    if (!box) throw new Error('no position picker');
    await picker.click({ position: { x: box.width / 2 + 40, y: box.height / 2 - 30 } });
    const lat = page.getByLabel('Vĩ độ (ví dụ 11.5450)');
    const lon = page.getByLabel('Kinh độ (ví dụ 105.9500)');
    await expect.poll(async () => Number(await lat.inputValue())).toBeGreaterThan(11.5);
    expect(Math.abs(Number(await lat.inputValue()) - 11.545)).toBeLessThan(0.05);
    expect(Math.abs(Number(await lon.inputValue()) - 105.95)).toBeLessThan(0.05);
    await page.getByRole('button', { name: 'Lưu vị trí' }).click();
    await page.getByText('Đã lưu vị trí.').waitFor();
    await expect
      .poll(() => page.locator('xs-device-page .state-badge').getAttribute('data-state'))
      .toBe('offline');

    const map = await sys.newPage({ width: 1366, height: 768 });
    await sys.signIn(map, 'ky-thuat');
    await openMap(map);
    await expect.poll(() => stateOf(map, NEW_ID), { timeout: 20_000 }).toBe('offline');

    // The gateway, as a technician runs it on site: enroll with the code shown, then start.
    const dir = join(sys.dataDir, 'field-gateway');
    const config = join(dir, 'gateway.json');
    await mkdir(dir, { recursive: true });
    await writeFile(
      config,
      JSON.stringify({ deviceId: NEW_ID, dataDir: join(dir, 'data'), statusIntervalS: 5 }),
    );
    const enrolled = await runGatewayCli([
      'enroll',
      ...['--url', brokerHttpUrl(), '--device', NEW_ID, '--code', code, '--config', config],
    ]);
    expect(enrolled.out).toContain(`enrolled ${NEW_ID}`);
    expect(enrolled.code).toBe(0);
    gateway = await spawnReady({
      name: 'field gateway',
      command: 'npm',
      args: ['run', '--silent', 'gateway', '--', '--config', config],
      cwd: ROOT,
      logFile: join(dir, 'gateway.log'),
      ready: async () =>
        (await sys.admin.get<{ presence: { state: string } | null }>(`/api/devices/${NEW_ID}`)).body.presence
          ?.state === 'online',
      readyWhat: `${NEW_ID} online in the console`,
      timeoutMs: 60_000,
    });
    // Both pages follow the stream: neither reloads.
    await expect.poll(() => stateOf(map, NEW_ID), { timeout: 20_000 }).toBe('online');
    await expect
      .poll(() => page.locator('xs-device-page .state-badge').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('online');
    await page.locator('xs-device-page table.kv', { hasText: 'Thời gian chạy' }).waitFor({ timeout: 20_000 });
    await sys.screenshot(page, 'console-device');

    const phone = await sys.newPage(PHONE);
    await sys.signIn(phone, 'ky-thuat');
    await phone.goto(`${sys.url}/#/device?id=${NEW_ID}`);
    await phone.getByRole('heading', { name: NEW_NAME }).waitFor();
    await sys.screenshot(phone, 'console-device-phone');
    await phone.goto(`${sys.url}/#/devices`);
    await phone.getByRole('heading', { name: 'Thêm thiết bị mới' }).waitFor();
    await sys.screenshot(phone, 'console-provisioning-phone');
  }, 150_000);
});
