import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', '.data', 'screenshots');
export const README_IMAGE_DIR = join(__dirname, '..', '..', '..', 'docs', 'images');

export const WIDTHS = [1280, 360] as const;

/** What went wrong in the page itself: script errors, and anything the Content-Security-Policy blocked. */
export interface PageProblems {
  errors: string[];
}

/**
 * A fresh browser context (no cookies) at a width, with the browser's language set as a reader's
 * would be (Accept-Language), collecting script errors and CSP reports of its pages.
 */
export async function newContext(
  browser: Browser,
  options: { width?: number; locale?: string; bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const width = options.width ?? 1280;
  const context = await browser.newContext({
    locale: options.locale ?? 'lt-LT',
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width, height: width < 600 ? 740 : 900 },
  });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  const watch = (p: Page) => {
    p.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
    p.on('console', (message) => {
      // A 404 or 503 page is an answer, not a fault (Chromium logs it as "Failed to load resource").
      if (
        message.type() === 'error' &&
        !/^Failed to load resource: the server responded with a status of \d+/.test(message.text())
      ) {
        problems.errors.push(`console: ${message.text()}`);
      }
    });
    p.on('dialog', (dialog) => {
      problems.errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  };
  watch(page);
  context.on('page', watch);
  return { context, page, problems };
}

/** A full-page screenshot under .data/screenshots (ignored by git), and, when asked, a small one for the README. */
export async function screenshot(page: Page, name: string, width: number): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  if (process.env.PORTAL_README_IMAGES === '1' && README_IMAGES.has(`${name}-${width}`)) {
    mkdirSync(README_IMAGE_DIR, { recursive: true });
    // The first screen only (smaller at 1280: 640 px high), to keep the committed images small.
    const clip = { x: 0, y: 0, width, height: width < 600 ? 740 : 640 };
    await page.screenshot({ path: join(README_IMAGE_DIR, `portal-${name}-${width}.png`), clip });
  }
}

/** The pages shown in the README (the first screen of each; regenerate with PORTAL_README_IMAGES=1). */
const README_IMAGES = new Set(['home-1280', 'directory-focus-1280', 'apply-errors-360', 'status-360']);

/** How far the page is wider than the window (0: nothing to scroll sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}
