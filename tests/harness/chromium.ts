import type { Browser } from 'playwright-core';
import { ensurePackage } from './packages.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for Debian's Chromium in tests. Without the networking ones it keeps dialling Google services,
 * flooding the closed network with refused connections; --no-sandbox because we run as root.
 */
export const chromiumLaunchArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium binary, installed with apt-get first if needed (that takes minutes). */
export function chromiumPath(): Promise<string> {
  return ensurePackage('chromium', CHROMIUM);
}

/**
 * Headless Chromium through playwright-core. launch() gives every browser a fresh temporary profile
 * (user-data dir) and deletes it again in browser.close().
 */
export async function launchBrowser(opts: { timeoutMs?: number } = {}): Promise<Browser> {
  const executablePath = await chromiumPath();
  // Imported lazily: every test imports the harness index, few need the large playwright bundle.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...chromiumLaunchArgs],
    timeout: opts.timeoutMs ?? 60_000,
  });
}
