import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, tempDir } from '../../harness/index.js';
import { ApiClient, TEST_PASSWORD } from '../../integration/console/fixture.js';
import { StartProcess, stackPorts } from '../../integration/start/start-process.js';

export { TEST_PASSWORD };
export const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

/** A small province so a journey starts in seconds: two communes, one air and one water station. */
export const JOURNEY_PROVINCE = {
  province: 'Tây Ninh',
  timezone: 'Asia/Ho_Chi_Minh',
  note: 'A small slice of Tây Ninh for browser journeys.',
  communes: [
    { id: 'tn-tan-bien', name: 'Xã Tân Biên', district: 'Tây Ninh', border: true, lat: 11.545, lon: 105.95 },
    {
      id: 'tn-phuoc-vinh',
      name: 'Xã Phước Vinh',
      district: 'Tây Ninh',
      border: true,
      lat: 11.47,
      lon: 106.0,
    },
  ],
  stations: [
    {
      id: 'tn-air-01',
      kind: 'air',
      commune: 'tn-tan-bien',
      site: 'Trung tâm xã Tân Biên',
      lat: 11.546,
      lon: 105.951,
    },
    {
      id: 'tn-water-01',
      kind: 'water',
      commune: 'tn-phuoc-vinh',
      site: 'Kênh Tây, cống số 3',
      lat: 11.471,
      lon: 106.003,
    },
  ],
} as const;

export interface SystemOptions {
  /** Simulated loudspeaker clusters over the communes (default 6). */
  clusters?: number;
  /** Days of back-filled history (default 1). */
  backfillDays?: number;
  /** Replaces the small journey province (same shape as scripts/province/tay-ninh.json). */
  province?: object;
}

/** `npm start` with a small simulated province, plus a signed-in admin API client and Chromium. */
export interface RunningSystem {
  url: string;
  dataDir: string;
  process: StartProcess;
  browser: Browser;
  /** Signed in as "admin" (password changed from the one-time one to TEST_PASSWORD). */
  admin: ApiClient;
  /** Creates a console user with password TEST_PASSWORD; returns its username. */
  createUser(username: string, roles: string[], areaIds?: string[]): Promise<string>;
  /** A new browser page in its own context (own cookies), 1280×800, Vietnamese locale. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Signs the page in through the sign-in form (Vietnamese labels) and waits for the navigation. */
  signIn(page: Page, username: string, password?: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRunningSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const dataDir = await tempDir('xs-journey-');
  const provinceFile = join(dataDir, 'province.json');
  await writeFile(provinceFile, JSON.stringify(options.province ?? JOURNEY_PROVINCE));
  const configFile = join(dataDir, 'xaso.json');
  await writeFile(
    configFile,
    JSON.stringify({
      simulation: {
        province: provinceFile,
        clusters: options.clusters ?? 6,
        backfillDays: options.backfillDays ?? 1,
      },
    }),
  );
  const ports = await stackPorts();
  const proc = new StartProcess([], {
    ...ports,
    XS_DATA_DIR: dataDir,
    XS_CONFIG: configFile,
    XS_LOG_LEVEL: 'warn',
  });
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  try {
    const [, launched] = await Promise.all([proc.waitFor(/Ready \(/, 180_000), launchBrowser()]);
    browser = launched;
    const url = `http://127.0.0.1:${ports.XS_CONSOLE_PORT}`;
    const otp = /one-time password\s+(\S{12,})/.exec(proc.stdout)?.[1];
    if (!otp) throw new Error(`npm start printed no one-time password:\n${proc.describe()}`);
    const admin = new ApiClient(url);
    await admin.signIn('admin', otp);
    const changed = await admin.post('/api/auth/password', {
      currentPassword: otp,
      newPassword: TEST_PASSWORD,
    });
    if (changed.status !== 200) throw new Error(`admin password change: ${JSON.stringify(changed.body)}`);
    await admin.signIn('admin', TEST_PASSWORD);
    const ready = browser;
    return {
      url,
      dataDir,
      process: proc,
      browser: ready,
      admin,
      async createUser(username, roles, areaIds = []) {
        const res = await admin.post('/api/users', {
          username,
          displayName: username,
          roles,
          areaIds,
          password: TEST_PASSWORD,
        });
        if (res.status !== 201 && res.status !== 200)
          throw new Error(`create user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        return username;
      },
      async newPage(viewport = { width: 1280, height: 800 }) {
        const context = await ready.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
        contexts.push(context);
        return context.newPage();
      },
      async signIn(page, username, password = TEST_PASSWORD) {
        await page.goto(url);
        await page.getByLabel('Tên đăng nhập').fill(username);
        await page.getByLabel('Mật khẩu').fill(password);
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.getByRole('button', { name: 'Đăng xuất' }).waitFor({ timeout: 20_000 });
      },
      async screenshot(page, name) {
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      },
      async close() {
        await Promise.all(contexts.map((c) => c.close()));
        await ready.close();
        await proc.interrupt();
      },
    };
  } catch (err) {
    await browser?.close();
    await proc.kill();
    throw err;
  }
}
