import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's chromium package (playwright-core downloads no browser). CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_MISSING = `The browser tests need Chromium at ${CHROMIUM_PATH} and it is not there.
Install Debian's package:   sudo apt-get update && sudo apt-get install -y chromium
(or set CHROMIUM_PATH to a Chromium or Chrome binary). Packages that download a browser at
install time do not work on this project's machines; playwright-core drives the system one.`;

export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
}

/**
 * Headless Chromium as the project's machines can run it: no sandbox (root in a container), no GPU,
 * nothing phoning home. Playwright gives every launch a fresh temporary profile (--user-data-dir).
 */
export function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
