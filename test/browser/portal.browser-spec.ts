import { naceEntry, randomLithuanianCompanyCode } from '@valley/contracts';
import { applicationBody, eventually } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { Messages } from '../../services/portal/src/i18n/messages';
import { Locale } from '../../services/portal/src/i18n/locale';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/chromium';
import { newContext, screenshot, sidewaysOverflow, WIDTHS } from './support/pages';
import { PortalStack } from './support/portal-stack';

jest.setTimeout(180_000);

const messages = Messages.load();
const PAZANGIOS = '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c03';
const HOSTILE_NAME = '<script>alert(1)</script>';
/**
 * The founder's card link, by its id: other suites of an `npm test` run share the directory's table
 * and list members of the same name (directory/src/members/members.int-spec.ts has one).
 */
const founderLink = `.member-card a[href^="/directory/${PAZANGIOS}"]`;

/** A wrong check digit: the valid code's last digit, plus one. */
function wrongCheckDigit(code: string): string {
  return `${code.slice(0, 8)}${(Number(code[8]) + 1) % 10}`;
}

/**
 * The portal in headless Chromium against the real services (in this process, on their own
 * ports), Kafka, Postgres and an SMTP server: the journeys of issue 12.
 */
describe('portal journeys in a browser', () => {
  const stack = new PortalStack();
  let browser: Browser;
  let logisticsId: string;
  let hostileId: string;

  beforeAll(async () => {
    [browser] = await Promise.all([launchChromium(), stack.start()]);
    await stack.founders();
    // A second "Pažangios" in another sector and region, so that a sector filter changes the counts.
    logisticsId = await stack.admit(
      applicationBody({
        legalName: `Pažangios Logistikos Centras ${randomUUID().slice(0, 4)} UAB`,
        registrationCode: randomLithuanianCompanyCode(),
        region: 'Kauno apskritis',
        sizeClass: 'medium',
        sectorCodes: ['H52.29'],
        focusAreas: ['cooperation'],
        description: 'Pažangios logistikos paslaugos gamintojams.',
      }),
    );
    hostileId = await stack.admit(
      applicationBody({
        legalName: HOSTILE_NAME,
        registrationCode: randomLithuanianCompanyCode(),
        description: `A description with ${HOSTILE_NAME} and "quotes" & ampersands.`,
      }),
    );
    // Words longer than a phone is wide, in a name, a region (a facet) and a description: every
    // page must still fit its width (a CI run once met such a region, made by the property suite).
    await stack.admit(
      applicationBody({
        legalName: `Ilgiausiasvardasbetjokiutarpupavadinimasnetelpantisįekraną${randomUUID().slice(0, 4)} UAB`,
        registrationCode: randomLithuanianCompanyCode(),
        region: 'Ilgiausiasregionopavadinimasbetjokiutarpuneiskyrybosženkluirtaipiki100',
        description: 'Žodis'.repeat(40),
      }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const t = (locale: Locale, key: string, params: Record<string, string | number> = {}) =>
    messages.t(locale, key, params);

  /** A reader in Lithuania: Lithuanian by the browser's language, or English by the remembered switch. */
  async function reader(locale: Locale, width = 1280) {
    const opened = await newContext(browser, { width, locale: 'lt-LT' });
    if (locale === 'en') {
      await opened.page.goto(stack.portalUrl);
      await opened.page.getByRole('link', { name: 'English' }).click();
      await opened.page.waitForURL(`${stack.portalUrl}/`);
      expect(await opened.page.getAttribute('html', 'lang')).toBe('en');
    }
    return opened;
  }

  const resultCount = (page: Page) => page.locator('[data-result-count]').textContent();
  /**
   * Waiting without page.waitForFunction, which compiles its predicate in the page and so is refused
   * by the portal's CSP (no 'unsafe-eval'): polling from here instead.
   */
  const waitForCount = (page: Page, text: string) =>
    eventually(async () => expect(await resultCount(page)).toBe(text), 10_000, 50);
  /** The id of the element that has the focus (this project's TypeScript has no DOM types: page code goes as text). */
  const activeId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');

  /** The live search keeps the URL in step with history.replaceState (no navigation to wait for). */
  const waitForQuery = (page: Page, query: string) =>
    eventually(() => expect(new URL(page.url()).search).toBe(query), 10_000, 50);
  const facetCounts = (page: Page, facet: string) => page.locator(`input[name="${facet}"] + label`).allTextContents();

  const directoryTotal = async (query: Record<string, string>) =>
    (
      await stack
        .http('directory')
        .get('/members')
        .query({ ...query, facets: 'false' })
        .expect(200)
    ).body.total as number;

  describe.each([
    ['Lithuanian, from the browser', 'lt' as Locale],
    ['English, chosen with the switch', 'en' as Locale],
  ])('in %s', (_label, locale) => {
    it('journey 1: a visitor searches for "Pazangios" without diacritics, narrows by sector, sees the counts change, opens a profile', async () => {
      const { context, page, problems } = await reader(locale);
      await page.goto(`${stack.portalUrl}/directory`);
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'directory.title'));

      // Typed, not submitted: the live search updates the results and the URL.
      await page.locator('#q').pressSequentially('Pazangios', { delay: 30 });
      const both = await directoryTotal({ q: 'Pazangios' });
      expect(both).toBeGreaterThanOrEqual(2);
      await waitForCount(page, t(locale, 'directory.count', { count: both }));
      await waitForQuery(page, '?q=Pazangios');
      await page.locator(founderLink).waitFor();
      expect(await page.locator(founderLink).textContent()).toBe('Pažangios Inovacijos UAB');
      const regionsBefore = await facetCounts(page, 'region');
      expect(regionsBefore).toEqual(expect.arrayContaining([expect.stringMatching(/^Kauno apskritis \(\d+\)$/)]));

      // Narrow by Pažangios Inovacijos's sector (M): fewer results, other facets recounted.
      const sectorM = page.locator('#f-sector-M');
      expect(await page.locator('label[for="f-sector-M"]').textContent()).toContain(naceEntry('M')!.title);
      await sectorM.check();
      const narrowed = await directoryTotal({ q: 'Pazangios', sector: 'M' });
      expect(narrowed).toBeLessThan(both);
      await waitForCount(page, t(locale, 'directory.count', { count: narrowed }));
      await waitForQuery(page, '?q=Pazangios&sector=M');
      expect(await facetCounts(page, 'region')).not.toEqual(regionsBefore);
      expect(await page.getByRole('link', { name: /Pažangios Logistikos Centras/ }).count()).toBe(0);
      expect(await page.locator('#f-sector-M').isChecked()).toBe(true);

      // The profile, and back to the same search.
      await page.locator(founderLink).click();
      await page.waitForURL(`${stack.portalUrl}/directory/${PAZANGIOS}?from=*`);
      expect(await page.locator('h1').textContent()).toBe('Pažangios Inovacijos UAB');
      const facts = await page.locator('.facts').textContent();
      expect(facts).toContain(`M70.2 ${naceEntry('M70.2')!.title}`);
      expect(facts).toContain(t(locale, 'member.founding'));
      expect(facts).toContain(locale === 'lt' ? '2020 m. balandžio 27 d.' : '27 April 2020');
      await page.getByRole('link', { name: t(locale, 'member.back') }).click();
      await page.waitForURL(`${stack.portalUrl}/directory?q=Pazangios&sector=M`);
      expect(await resultCount(page)).toBe(t(locale, 'directory.count', { count: narrowed }));

      expect(problems.errors).toEqual([]);
      await context.close();
    });

    it('journey 2: an applicant corrects a wrong company code, gets the reference, the email links to the status page, withdraws', async () => {
      const { context, page, problems } = await reader(locale);
      const code = randomLithuanianCompanyCode();
      const email = `applicant-${locale}-${randomUUID().slice(0, 8)}@example.lt`;
      const legalName = `Šiaulių Metalas ${randomUUID().slice(0, 4)} UAB`;
      await page.goto(`${stack.portalUrl}/apply`);
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'apply.title'));

      await page.fill('#legalName', legalName);
      expect(await page.locator('#country').inputValue()).toBe('LT');
      await page.locator('#registrationCode').pressSequentially(wrongCheckDigit(code), { delay: 20 });
      // Checked as it is typed: the error appears beside the field.
      const codeError = page.locator('#registrationCode-error');
      await codeError.waitFor({ state: 'visible' });
      expect(await codeError.textContent()).toBe(t(locale, 'apply.errors.registrationCode.ltCheckDigit'));
      expect(await page.getAttribute('#registrationCode', 'aria-invalid')).toBe('true');

      await page.fill('#region', 'Šiaulių apskritis');
      await page.check('#organisationType');
      await page.check('#sizeClass-small');
      await page.fill('#sectorCodes', 'C25.62');
      await page.check('#focusAreas-cooperation');
      await page.fill('#contact-name', 'Rūta Petrauskienė');
      await page.fill('#contact-email', email);
      await page.check('#consent-publicListing');

      // Sent anyway: the API refuses the code, the form comes back with the summary and what was typed.
      await page.getByRole('button', { name: t(locale, 'apply.submit') }).click();
      await page.locator('.error-summary').waitFor();
      expect(await page.title()).toMatch(new RegExp(`^${t(locale, 'common.errorPrefix')}`));
      const summaryLink = page.locator('.error-summary a');
      expect(await summaryLink.allTextContents()).toEqual([t(locale, 'apply.errors.registrationCode.ltCheckDigit')]);
      expect(await summaryLink.getAttribute('href')).toBe('#registrationCode');
      expect(await page.locator('#registrationCode-error').textContent()).toContain(
        t(locale, 'apply.errors.registrationCode.ltCheckDigit'),
      );
      expect(await page.inputValue('#legalName')).toBe(legalName);
      expect(await page.inputValue('#contact-email')).toBe(email);
      expect(await page.inputValue('#sectorCodes')).toBe('C25.62');
      expect(await page.isChecked('#focusAreas-cooperation')).toBe(true);
      expect(await page.isChecked('#consent-publicListing')).toBe(true);
      expect(await page.isChecked('#consent-announcements')).toBe(false);
      // The summary's link takes the focus to the field.
      await summaryLink.click();
      expect(await activeId(page)).toBe('registrationCode');

      // Corrected: the message goes as soon as the code is right.
      await page.fill('#registrationCode', '');
      await page.locator('#registrationCode').pressSequentially(code, { delay: 20 });
      await codeError.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: t(locale, 'apply.submit') }).click();
      await page.waitForURL(/\/applications\/[0-9a-f-]{36}\/submitted$/);
      const id = (await page.locator('[data-reference]').textContent())!.trim();
      expect(page.url()).toBe(`${stack.portalUrl}/applications/${id}/submitted`);
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'submitted.title'));
      const statusHref = await page.locator('[data-status-link]').getAttribute('href');
      expect(statusHref).toMatch(new RegExp(`^/applications/${id}\\?token=[A-Za-z0-9_-]{43}$`));

      // The acknowledgement email carries the status link (notifications' PORTAL_URL + the token).
      const ack = await stack.smtp.waitFor((m) => m.to.includes(email), 60_000);
      const link = new RegExp(
        `${stack.portalUrl.replace(/[.]/g, '\\.')}/applications/${id}\\?token=[A-Za-z0-9_-]{43}`,
      ).exec(ack.text)?.[0];
      expect(link).toBe(`${stack.portalUrl}${statusHref}`);

      // Opened from the email (a browser with no cookies): the token moves into a cookie, the URL is clean.
      const fromEmail = await newContext(browser, { locale: locale === 'en' ? 'en-GB' : 'lt-LT' });
      const first = await fromEmail.page.goto(link!);
      expect(fromEmail.page.url()).toBe(`${stack.portalUrl}/applications/${id}`);
      expect((await first!.request().redirectedFrom()!.response())!.headers()['referrer-policy']).toBe('no-referrer');
      const cookie = (await fromEmail.context.cookies()).find((c) => c.name === 'valley-applicant')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: `/applications/${id}` });
      const status = fromEmail.page;
      expect(await status.locator('[data-status]').getAttribute('data-status')).toBe('submitted');
      expect(await status.locator('[data-status]').textContent()).toBe(t(locale, 'vocab.applicationStatus.submitted'));
      expect(await status.locator('.lead').textContent()).toBe(legalName);
      expect(await status.locator('.timeline__what').allTextContents()).toEqual([
        t(locale, 'vocab.historyAction.submitted'),
      ]);

      // Withdrawn, with a reason.
      await status.fill('#reason', 'Prisijungėme prie kito klasterio.');
      await status.getByRole('button', { name: t(locale, 'status.withdrawButton') }).click();
      await status.waitForURL(`${stack.portalUrl}/applications/${id}?notice=withdrawn`);
      expect(await status.locator('.notice').textContent()).toContain(t(locale, 'status.notice.withdrawn'));
      expect(await status.locator('[data-status]').getAttribute('data-status')).toBe('withdrawn');
      expect(await status.locator('.timeline__what').allTextContents()).toEqual([
        t(locale, 'vocab.historyAction.submitted'),
        t(locale, 'vocab.historyAction.withdrawn'),
      ]);
      expect(await status.locator('.timeline__reason').allTextContents()).toEqual([
        'Prisijungėme prie kito klasterio.',
      ]);
      expect(await status.locator('#reason').count()).toBe(0);

      expect([...problems.errors, ...fromEmail.problems.errors]).toEqual([]);
      await fromEmail.context.close();
      await context.close();
    });
  });

  it('the link on the confirmation page opens the status page too, and its withdraw form needs its CSRF token', async () => {
    const { context, page, problems } = await newContext(browser);
    const submitted = await stack
      .http('membership')
      .post('/applications')
      .send(applicationBody({ registrationCode: randomLithuanianCompanyCode() }))
      .expect(201);
    const { id, applicantToken } = submitted.body as { id: string; applicantToken: string };
    await page.goto(`${stack.portalUrl}/applications/${id}?token=${applicantToken}`);
    await page.goto(`${stack.portalUrl}/applications/${id}/submitted`);
    expect(await page.locator('[data-reference]').textContent()).toBe(id);
    await page.locator('[data-status-link]').click();
    await page.waitForURL(`${stack.portalUrl}/applications/${id}`);
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('submitted');

    // A post without the form's token (what another site could make the browser send) changes nothing.
    const forged = await page.evaluate(
      (path) =>
        fetch(path, {
          method: 'POST',
          body: new URLSearchParams({ reason: 'forged' }),
          redirect: 'manual',
        }).then((r) => r.status),
      `/applications/${id}/withdraw`,
    );
    expect(forged).toBe(403);
    await page.reload();
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('submitted');
    await page.getByRole('button', { name: t('lt', 'status.withdrawButton') }).click();
    await page.waitForURL(`${stack.portalUrl}/applications/${id}?notice=withdrawn`);
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('withdrawn');

    // Another browser, without the token: the page says to open the email's link, and shows nothing.
    const stranger = await newContext(browser);
    const response = await stranger.page.goto(`${stack.portalUrl}/applications/${id}`);
    expect(response!.status()).toBe(404);
    expect(await stranger.page.locator('h1').textContent()).toBe(t('lt', 'status.linkNeeded.title'));
    await stranger.context.close();
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('escapes what the services send, under a Content-Security-Policy without inline scripts; cookies are HttpOnly and SameSite', async () => {
    const { context, page, problems } = await newContext(browser);
    const response = await page.goto(`${stack.portalUrl}/directory/${hostileId}`);
    expect(await page.locator('h1').textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('.profile').textContent()).toContain(
      `A description with ${HOSTILE_NAME} and "quotes" & ampersands.`,
    );
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response!.headers()['referrer-policy']).toBe('no-referrer');
    await page.goto(`${stack.portalUrl}/directory?q=script`);
    await page.goto(`${stack.portalUrl}/apply`);
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name).sort()).toEqual(['valley-csrf', 'valley-visitor']);
    for (const cookie of cookies)
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: expect.stringMatching(/^(Lax|Strict)$/) });
    // Outside development and tests the cookies are Secure (portal.config.spec.ts); here the portal runs as in tests.
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('journey 4: every page passes axe-core (no serious or critical violation) at 1280 and 360 px, and fits the width', async () => {
    const submitted = await stack
      .http('membership')
      .post('/applications')
      .send(applicationBody({ registrationCode: randomLithuanianCompanyCode() }))
      .expect(201);
    const withdrawn = await stack
      .http('membership')
      .post('/applications')
      .send(applicationBody({ registrationCode: randomLithuanianCompanyCode() }))
      .expect(201);
    await stack
      .http('membership')
      .post(`/applications/${withdrawn.body.id}/withdraw`)
      .set('X-Applicant-Token', withdrawn.body.applicantToken)
      .send({ reason: 'Nebeaktualu.' })
      .expect(201);

    const pages: { name: string; open(page: Page): Promise<unknown> }[] = [
      { name: 'home', open: (page) => page.goto(stack.portalUrl) },
      { name: 'directory', open: (page) => page.goto(`${stack.portalUrl}/directory`) },
      { name: 'directory-search', open: (page) => page.goto(`${stack.portalUrl}/directory?q=Pazangios&sector=M`) },
      {
        name: 'directory-focus',
        open: (page) => page.goto(`${stack.portalUrl}/directory?focusArea=innovation_technologies&country=LT`),
      },
      {
        name: 'directory-empty',
        open: (page) => page.goto(`${stack.portalUrl}/directory?q=Niekur&region=Utenos+apskritis`),
      },
      { name: 'member', open: (page) => page.goto(`${stack.portalUrl}/directory/${PAZANGIOS}`) },
      { name: 'not-found', open: (page) => page.goto(`${stack.portalUrl}/directory/${randomUUID()}`) },
      { name: 'apply', open: (page) => page.goto(`${stack.portalUrl}/apply`) },
      {
        name: 'apply-errors',
        open: async (page) => {
          await page.goto(`${stack.portalUrl}/apply`);
          await page.fill('#registrationCode', '302512357');
          await page.fill('#contact-email', 'ruta@');
          await page.getByRole('button', { name: t('lt', 'apply.submit') }).click();
          await page.locator('.error-summary').waitFor();
        },
      },
      {
        name: 'submitted',
        open: async (page) => {
          await page.goto(
            `${stack.portalUrl}/applications/${submitted.body.id}?token=${submitted.body.applicantToken}`,
          );
          await page.goto(`${stack.portalUrl}/applications/${submitted.body.id}/submitted`);
        },
      },
      {
        name: 'status',
        open: (page) =>
          page.goto(`${stack.portalUrl}/applications/${submitted.body.id}?token=${submitted.body.applicantToken}`),
      },
      {
        name: 'status-withdrawn',
        open: (page) =>
          page.goto(`${stack.portalUrl}/applications/${withdrawn.body.id}?token=${withdrawn.body.applicantToken}`),
      },
      { name: 'link-needed', open: (page) => page.goto(`${stack.portalUrl}/applications/${randomUUID()}`) },
    ];

    const found: Record<string, unknown> = {};
    for (const width of WIDTHS) {
      const { context, page, problems } = await newContext(browser, { width });
      for (const { name, open } of pages) {
        await open(page);
        await page.waitForLoadState('load');
        const violations = await seriousViolations(page);
        const overflow = await sidewaysOverflow(page);
        if (violations.length > 0 || overflow > 0) found[`${name} at ${width} px`] = { violations, overflow };
        await screenshot(page, name, width);
      }
      expect(problems.errors).toEqual([]);
      await context.close();
    }
    expect(found).toEqual({});
  });

  it('keyboard only: the skip link comes first, focus is visible, filters toggle with the space bar', async () => {
    const { context, page, problems } = await newContext(browser);
    await page.goto(`${stack.portalUrl}/directory?q=Pazangios`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.className')).toBe('skip-link');
    expect(await page.evaluate('getComputedStyle(document.activeElement).backgroundColor')).toBe('rgb(255, 221, 0)');
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('main');

    await page.focus('#f-sector-M');
    const before = await resultCount(page);
    await page.keyboard.press('Space');
    await waitForQuery(page, '?q=Pazangios&sector=M');
    await eventually(async () => expect(await resultCount(page)).not.toBe(before), 10_000, 50);
    // The panel was replaced; the focus stays on the same filter.
    expect(await activeId(page)).toBe('f-sector-M');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('journey 5: with membership stopped, the directory still works and the form says it cannot take applications, keeping what was typed', async () => {
    await stack.stopService('membership');
    const { context, page, problems } = await newContext(browser);

    const health = await (await fetch(`${stack.portalUrl}/health`)).json();
    expect(health).toMatchObject({
      status: 'degraded',
      details: { membership: { status: 'down' }, directory: { status: 'up' } },
    });

    await page.goto(stack.portalUrl);
    expect(await page.locator('.stat__number').count()).toBe(1);
    await page.goto(`${stack.portalUrl}/directory?q=Pazangios`);
    await page.locator(founderLink).click();
    expect(await page.locator('h1').textContent()).toBe('Pažangios Inovacijos UAB');
    await page.goto(`${stack.portalUrl}/directory/${logisticsId}`);
    expect(await page.locator('h1').textContent()).toMatch(/^Pažangios Logistikos Centras/);

    const form = await page.goto(`${stack.portalUrl}/apply`);
    expect(form!.status()).toBe(503);
    expect(await page.locator('.notice').textContent()).toContain(t('lt', 'apply.unavailable.title'));
    await page.fill('#legalName', 'Kauno Staklės UAB');
    await page.fill('#registrationCode', randomLithuanianCompanyCode());
    await page.fill('#contact-email', 'jonas@stakles.example');
    await page.fill('#sectorCodes', 'C28.4');
    await page.check('#focusAreas-innovation_technologies');
    await page.getByRole('button', { name: t('lt', 'apply.submit') }).click();
    await page.locator('.notice').waitFor();
    expect(await page.locator('.notice').textContent()).toContain(t('lt', 'apply.unavailable.kept'));
    expect(await page.inputValue('#legalName')).toBe('Kauno Staklės UAB');
    expect(await page.inputValue('#contact-email')).toBe('jonas@stakles.example');
    expect(await page.inputValue('#sectorCodes')).toBe('C28.4');
    expect(await page.isChecked('#focusAreas-innovation_technologies')).toBe(true);
    await screenshot(page, 'apply-membership-down', 1280);

    // The applicant's page says which part is missing.
    const status = await page.goto(`${stack.portalUrl}/applications/${randomUUID()}?token=${'x'.repeat(43)}`);
    expect(status!.status()).toBe(503);
    expect(await page.locator('main').textContent()).toContain(t('lt', 'unavailable.membership'));
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
