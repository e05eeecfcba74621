import { readFile, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchArgs, chromiumPath, launchBrowser, tempDir } from '../../harness/index.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('launchBrowser: Debian chromium through playwright-core', () => {
  let server: Server;
  let url: string;
  let browser: Browser;

  // The first run on a fresh machine installs chromium with apt-get, which takes minutes.
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Harness proof</title><h1 style="color:#c00">Xã Số</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  }, 1_200_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('uses /usr/bin/chromium with the quiet-network flags', async () => {
    expect(await chromiumPath()).toBe('/usr/bin/chromium');
    expect(chromiumLaunchArgs).toEqual(
      expect.arrayContaining(['--no-sandbox', '--disable-background-networking']),
    );
  });

  it('loads a page from a loopback server, reads its title and screenshots it as a PNG', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('Harness proof');
      expect(await page.textContent('h1')).toBe('Xã Số');
      const dir = await tempDir('xs-shot-');
      const file = join(dir, 'page.png');
      await page.screenshot({ path: file });
      const png = await readFile(file);
      await rm(dir, { recursive: true, force: true });
      expect(png.subarray(0, 8)).toEqual(PNG_MAGIC);
      expect(png.length).toBeGreaterThan(1000);
    } finally {
      await page.close();
    }
  });
});
