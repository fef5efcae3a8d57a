/**
 * The README's screenshots of the console and the member area, taken from a running `npm start`
 * (its DEV ONLY provider, seeded founders and mail inbox): `npm run screenshots`. Writes
 * docs/images/portal-{console,review,account}-*.png in English, at 1280 and 360 px. With
 * `TRACES=1 npm start`, also the latest admission's trace in Zipkin: docs/images/trace-admission.png
 * (`SCREENSHOTS=trace npm run screenshots`: that one alone).
 */
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/support/chromium';
import { DEV_SMTP_WEB_PORT } from './infra/dev-defaults';

const PORTAL = process.env.PORTAL_URL || 'http://127.0.0.1:3000';
const INBOX = `http://127.0.0.1:${DEV_SMTP_WEB_PORT}/api/messages`;
const OUT = join(__dirname, '..', 'docs', 'images');
/** A founding member of the seed (scripts/seed.ts) whose contact signs in. */
const MEMBER_EMAIL = process.env.SCREENSHOT_MEMBER_EMAIL || 'cluster@aedilis.example';
const ZIPKIN = process.env.ZIPKIN_URL || 'http://127.0.0.1:9411';

async function english(page: Page): Promise<void> {
  await page.context().addCookies([{ name: 'valley-lang', value: 'en', url: PORTAL }]);
}

async function signInAsCoordinator(page: Page): Promise<void> {
  await page.goto(`${PORTAL}/sign-in`);
  await page.getByRole('button', { name: 'Sign in as coordinator' }).click();
  for (let step = 0; step < 4 && !page.url().startsWith(PORTAL); step++) {
    await page.waitForLoadState();
    if (await page.locator('input[name="account"][value="coordinator@valley.dev"]').count()) {
      await page.check('input[name="account"][value="coordinator@valley.dev"]');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
    } else if (!page.url().startsWith(PORTAL)) {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Allow' }).click()]);
    }
  }
}

async function signInAsMember(page: Page): Promise<void> {
  const before = Date.now();
  await page.goto(`${PORTAL}/sign-in`);
  await page.getByLabel('Contact email address').fill(MEMBER_EMAIL);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  for (let tries = 0; tries < 50; tries++) {
    const messages = (await (await fetch(INBOX)).json()) as { to: string[]; text: string; receivedAt: string }[];
    const mail = messages.find(
      (m) =>
        m.to.includes(MEMBER_EMAIL) &&
        Date.parse(m.receivedAt) >= before - 1000 &&
        /sign-in\/link\?token=/.test(m.text),
    );
    const link = mail && /https?:\/\/\S+\/sign-in\/link\?token=[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
    if (link) {
      await page.goto(link);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${PORTAL}/account`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no sign-in email to ${MEMBER_EMAIL} in ${INBOX}: is npm start running?`);
}

async function shoot(page: Page, path: string, name: string, width: number, scrollTo?: string): Promise<void> {
  await page.setViewportSize({ width, height: width < 600 ? 780 : 860 });
  await page.goto(`${PORTAL}${path}`);
  if (scrollTo)
    await page
      .locator(scrollTo)
      .first()
      .evaluate((element) => element.scrollIntoView());
  await page.screenshot({ path: join(OUT, `${name}-${width}.png`) });
  process.stdout.write(`docs/images/${name}-${width}.png\n`);
}

/** The latest trace of an admission (`POST /applications/:id/admit`), as Zipkin shows it; skipped without Zipkin. */
async function shootAdmissionTrace(page: Page): Promise<void> {
  const query = new URLSearchParams({
    serviceName: 'membership',
    spanName: 'post /applications/:id/admit',
    limit: '1',
  });
  const traces = await fetch(`${ZIPKIN}/api/v2/traces?${query}`)
    .then((response) => (response.ok ? (response.json() as Promise<{ traceId: string }[][]>) : []))
    .catch(() => null);
  if (!traces) {
    process.stdout.write(`screenshots: no Zipkin at ${ZIPKIN} (TRACES=1 npm start runs it): no trace screenshot\n`);
    return;
  }
  if (traces.length === 0) {
    process.stdout.write('screenshots: Zipkin holds no admission yet: admit one, then run this again\n');
    return;
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(`${ZIPKIN}/zipkin/traces/${traces[0][0].traceId}`);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(OUT, 'trace-admission.png') });
  process.stdout.write(`screenshots: ${join(OUT, 'trace-admission.png')}\n`);
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    // SCREENSHOTS=trace: only the trace.
    if (process.env.SCREENSHOTS === 'trace') {
      await shootAdmissionTrace(await (await browser.newContext({ locale: 'en' })).newPage());
      return;
    }
    const coordinator = await (await browser.newContext({ locale: 'en' })).newPage();
    await english(coordinator);
    await signInAsCoordinator(coordinator);
    await shoot(coordinator, '/console', 'portal-console', 1280);
    await shoot(coordinator, '/console/review', 'portal-review', 1280);
    await shoot(coordinator, '/console/reports', 'portal-reports', 360, 'main svg');

    const member = await (await browser.newContext({ locale: 'en' })).newPage();
    await english(member);
    await signInAsMember(member);
    await shoot(member, '/account', 'portal-account', 1280);
    await shoot(member, '/account', 'portal-account', 360);

    await shootAdmissionTrace(await (await browser.newContext({ locale: 'en' })).newPage());
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
