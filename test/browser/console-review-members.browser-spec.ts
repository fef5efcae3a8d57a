import { randomLithuanianCompanyCode } from '@valley/contracts';
import { applicationBody, eventually } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Locale } from '../../services/portal/src/i18n/locale';
import { Messages } from '../../services/portal/src/i18n/messages';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/chromium';
import { coordinatorSignIn } from './support/coordinator-sign-in';
import { newContext, screenshot, sidewaysOverflow, WIDTHS } from './support/pages';
import { PortalStack } from './support/portal-stack';

jest.setTimeout(300_000);

const messages = Messages.load();
const t = (locale: Locale, key: string, params: Record<string, string | number> = {}) =>
  messages.t(locale, key, params);
const SESSION_COOKIE = 'valley-session';
const BROWSER_LOCALE: Record<Locale, string> = { lt: 'lt-LT', en: 'en-GB' };

/**
 * Portal part 2, the coordinator's console: the review queue and an application's decisions
 * (issue test 1: admitted with a note, then on the public directory page and the welcome email at
 * the SMTP server within seconds), the members (issue test 4: suspended, off the directory,
 * reinstated, another ended with a reason; the profile edited under the 412 rule), both in
 * Lithuanian and English (test 8), and axe-core on every console page at 1280 and 360 px.
 */
describe('the console: review queue and members, in a browser', () => {
  const stack = new PortalStack({ identityProvider: true, servicesTrustProvider: true });
  let browser: Browser;
  const url = (path: string) => `${stack.portalUrl}${path}`;
  const auth = () => ({ Authorization: `Bearer ${stack.coordinatorToken()}` });

  beforeAll(async () => {
    [browser] = await Promise.all([launchChromium(), stack.start()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  /** A coordinator's browser context, signed in through the provider, on /console. */
  async function coordinator(locale: Locale, width = 1280) {
    const opened = await newContext(browser, { locale: BROWSER_LOCALE[locale], width });
    await opened.page.goto(url('/sign-in?next=%2Fconsole'));
    await coordinatorSignIn(stack, opened.page, locale);
    await opened.page.waitForURL(url('/console'));
    return opened;
  }

  async function submitApplication(name: string, language: Locale) {
    const email = `kontaktas-${randomUUID().slice(0, 8)}@example.lt`;
    const answer = await stack
      .http('membership')
      .post('/applications')
      .send(
        applicationBody({
          legalName: name,
          registrationCode: randomLithuanianCompanyCode(),
          contact: { name: 'Ona Onaitė', email, language },
        }),
      )
      .expect(201);
    return { id: answer.body.id as string, email };
  }

  async function expectAccessible(page: Page, name: string, width: number, found: unknown[]) {
    const violations = await seriousViolations(page);
    if (violations.length > 0) found.push({ page: name, width, violations });
    expect([name, width, await sidewaysOverflow(page)]).toEqual([name, width, 0]);
  }

  /** Follows the queue's "next page" links until the application's link shows. */
  async function findInQueue(page: Page, locale: Locale, name: string): Promise<boolean> {
    for (let n = 0; n < 40; n++) {
      if (await page.getByRole('link', { name, exact: true }).count()) return true;
      const next = page.getByRole('link', { name: t(locale, 'console.review.next') });
      if (!(await next.count())) return false;
      await next.click();
      await page.waitForLoadState();
    }
    return false;
  }

  /** Whether the public directory page, searched for the name, links to the member's profile (the search box echoes the name). */
  async function directoryLists(name: string, id: string): Promise<boolean> {
    const answer = await fetch(url(`/directory?q=${encodeURIComponent(name)}`));
    return (await answer.text()).includes(`href="/directory/${id}`);
  }

  it.each(['lt', 'en'] as Locale[])(
    '(1, 8) %s: the coordinator finds an application in the queue and admits it with a note; the member is on the directory page and the welcome email at the SMTP server within seconds',
    async (locale) => {
      const name = `Slėnio Robotika ${randomUUID().slice(0, 6)} UAB`;
      const application = await submitApplication(name, locale);
      const found: unknown[] = [];
      const { context, page, problems } = await coordinator(locale);

      await page.getByRole('link', { name: t(locale, 'console.sections.review.title') }).click();
      await page.waitForURL(url('/console/review'));
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'console.review.title'));
      const waiting = Number(await page.locator('[data-waiting]').getAttribute('data-waiting'));
      expect(waiting).toBeGreaterThanOrEqual(1);
      expect(await page.locator('[data-status="submitted"] .console-counts__number').textContent()).toMatch(/^\d/);
      await expectAccessible(page, 'queue', 1280, found);
      expect(await findInQueue(page, locale, name)).toBe(true);
      // Its age, in the reader's words.
      const item = page.locator(`[data-application="${application.id}"]`);
      expect(await item.textContent()).toContain(locale === 'lt' ? 'prieš' : 'ago');

      await page.getByRole('link', { name, exact: true }).click();
      await page.waitForURL(url(`/console/applications/${application.id}`));
      expect(await page.locator('h1').textContent()).toBe(name);
      expect(await page.textContent('main')).toContain(application.email);
      // Submitted: all three decisions are offered.
      for (const d of ['review', 'admit', 'reject']) {
        expect(
          await page
            .getByRole('button', { name: t(locale, `console.review.decision.${d}.button`), exact: true })
            .count(),
        ).toBe(1);
      }
      await expectAccessible(page, 'application', 1280, found);

      // A rejection without a reason is refused at the field, nothing changes.
      await page.getByRole('button', { name: t(locale, 'console.review.decision.reject.button'), exact: true }).click();
      expect(await page.locator('#reject-reason-error').textContent()).toContain(
        t(locale, 'console.review.decision.reasonRequired'),
      );
      expect(await page.getAttribute('[data-status]', 'data-status')).toBe('submitted');

      // A second tab on the same page, to decide after the first one did.
      const stale = await context.newPage();
      await stale.goto(url(`/console/applications/${application.id}`));

      const before = stack.smtp.messages.length;
      const admittedAt = Date.now();
      await page.getByLabel(t(locale, 'console.review.decision.note')).nth(1).fill('Puikiai tinka <b>klasteriui</b>');
      await page.getByRole('button', { name: t(locale, 'console.review.decision.admit.button'), exact: true }).click();
      await page.waitForURL(/\?done=admit/);
      expect(await page.getByRole('status').first().textContent()).toContain(
        t(locale, 'console.review.notice.admit', { status: t(locale, 'vocab.applicationStatus.admitted') }),
      );
      expect(await page.getAttribute('[data-status]', 'data-status')).toBe('admitted');
      expect(await page.locator('form[action*="/admit"]').count()).toBe(0);
      // The note in the history, escaped.
      expect(await page.locator('[data-history]').textContent()).toContain('Puikiai tinka <b>klasteriui</b>');
      await expectAccessible(page, 'application-admitted', 1280, found);

      // The member on the public directory page and the welcome email, within seconds.
      const memberId = new URL(page.url()).searchParams.get('member')!;
      expect(memberId).toMatch(/^[0-9a-f-]{36}$/);
      await eventually(async () => expect(await directoryLists(name, memberId)).toBe(true), 15_000);
      const welcome = await stack.smtp.waitFor(
        (m) =>
          m.to.includes(application.email) &&
          m.subject.includes(name) &&
          /Sveiki prisijungę|Welcome to/.test(m.subject) &&
          stack.smtp.messages.indexOf(m) >= before,
        15_000,
      );
      expect(welcome.subject).toContain(locale === 'lt' ? 'Sveiki' : 'Welcome');
      expect(Date.now() - admittedAt).toBeLessThan(15_000);

      // The stale tab's decision is a 409, shown as such; nothing changed.
      await stale.getByLabel(t(locale, 'console.review.decision.reason')).fill('Per vėlu');
      await stale
        .getByRole('button', { name: t(locale, 'console.review.decision.reject.button'), exact: true })
        .click();
      await stale.waitForURL(/\?done=conflict/);
      expect(await stale.getByRole('alert').textContent()).toContain(
        t(locale, 'console.review.notice.conflict', { status: t(locale, 'vocab.applicationStatus.admitted') }),
      );
      expect(await stale.getAttribute('[data-status]', 'data-status')).toBe('admitted');

      // The queue no longer holds it.
      await page.goto(url('/console/review'));
      expect(await findInQueue(page, locale, name)).toBe(false);
      expect(problems.errors).toEqual([]);
      expect(found).toEqual([]);
      await context.close();
    },
  );

  it.each(['lt', 'en'] as Locale[])(
    '(4, 8) %s: the coordinator finds a member, suspends it (off the directory page), reinstates it, edits it under the 412 rule, ends another with a reason and erases its personal data',
    async (locale) => {
      const tag = randomUUID().slice(0, 6);
      const first = { name: `Žalgirio Metalas ${tag} UAB`, id: '' };
      const second = { name: `Šilutės Mediena ${tag} AB`, id: '' };
      for (const who of [first, second]) {
        who.id = await stack.admit(
          applicationBody({ legalName: who.name, registrationCode: randomLithuanianCompanyCode() }),
        );
      }
      const found: unknown[] = [];
      const { context, page, problems } = await coordinator(locale);
      await page.getByRole('link', { name: t(locale, 'console.sections.members.title') }).click();
      await page.waitForURL(url('/console/members'));
      // Search without the Lithuanian letters, then narrow by status.
      await page.getByLabel(t(locale, 'console.members.search.label')).fill(`zalgirio metalas ${tag}`);
      await page.getByRole('button', { name: t(locale, 'console.members.search.button') }).click();
      await page.waitForURL(/\/console\/members\?q=/);
      expect(await page.locator('[data-member]').count()).toBe(1);
      await expectAccessible(page, 'members-search', 1280, found);
      await page.getByRole('link', { name: first.name }).click();
      await page.waitForURL(url(`/console/members/${first.id}`));
      expect(await page.locator('h1').textContent()).toBe(first.name);

      // Suspend: a reason is required.
      const suspend = page.locator('form[action$="/suspend"]');
      await suspend.getByRole('button').click();
      expect(await page.locator('#suspend-reason-error').textContent()).toContain(
        t(locale, 'console.members.step.reasonRequired'),
      );
      await expectAccessible(page, 'member-reason-error', 1280, found);
      await page.locator('#suspend-reason').fill('Nario mokestis nesumokėtas <i>2026</i>');
      await page.locator('form[action$="/suspend"]').getByRole('button').click();
      await page.waitForURL(/\?done=suspend/);
      expect(await page.getAttribute('[data-status]', 'data-status')).toBe('suspended');
      expect(await page.locator('[data-history]').textContent()).toContain('Nario mokestis nesumokėtas <i>2026</i>');
      await eventually(async () => expect(await directoryLists(first.name, first.id)).toBe(false), 15_000);

      await page.locator('form[action$="/reinstate"]').getByRole('button').click();
      await page.waitForURL(/\?done=reinstate/);
      expect(await page.getAttribute('[data-status]', 'data-status')).toBe('active');
      await eventually(async () => expect(await directoryLists(first.name, first.id)).toBe(true), 15_000);

      // Edit: someone else changes the statement and region meanwhile (412); the newer value is shown, the coordinator chooses.
      await page.getByRole('link', { name: t(locale, 'console.members.editLink') }).click();
      await page.waitForURL(url(`/console/members/${first.id}/edit`));
      await expectAccessible(page, 'member-edit', 1280, found);
      await page.locator('#f-statement').fill('Mano žinutė');
      await page.locator('#f-description').fill('Mano aprašymas');
      const current = await stack.http('membership').get(`/members/${first.id}`).set(auth()).expect(200);
      await stack
        .http('membership')
        .patch(`/members/${first.id}`)
        .set(auth())
        .set('If-Match', current.headers.etag)
        .send({ statement: 'Kito žinutė', region: 'Alytaus apskritis' })
        .expect(200);
      await page.getByRole('button', { name: t(locale, 'console.members.edit.save') }).click();
      await page.waitForSelector('[data-conflict]');
      expect(await page.locator('[data-field="statement"] [data-newer]').textContent()).toBe('Kito žinutė');
      expect(await page.locator('#f-statement').inputValue()).toBe('Mano žinutė');
      // Only the statement clashes: the description stays as typed, the region shows the newer value.
      expect(await page.locator('[data-field="description"] [data-newer]').count()).toBe(0);
      expect(await page.locator('#f-description').inputValue()).toBe('Mano aprašymas');
      expect(await page.locator('#f-region').inputValue()).toBe('Alytaus apskritis');
      await expectAccessible(page, 'member-edit-conflict', 1280, found);
      // Saving without choosing is refused; choosing keeps what was chosen.
      await page.getByRole('button', { name: t(locale, 'console.members.edit.save') }).click();
      expect(await page.locator('#f-statement-error').textContent()).toContain(
        t(locale, 'console.members.edit.chooseOne'),
      );
      await page.locator('#f-statement-mine').check();
      await page.getByRole('button', { name: t(locale, 'console.members.edit.save') }).click();
      await page.waitForURL(/\?done=saved/);
      const saved = (await stack.http('membership').get(`/members/${first.id}`).set(auth()).expect(200)).body;
      expect(saved).toMatchObject({
        statement: 'Mano žinutė',
        description: 'Mano aprašymas',
        region: 'Alytaus apskritis',
      });

      // The other member: ended, with a reason.
      await page.goto(url(`/console/members?q=${encodeURIComponent(second.name)}`));
      await page.getByRole('link', { name: second.name }).click();
      await page.waitForURL(url(`/console/members/${second.id}`));
      await page.locator('#end-reason').fill('Įmonė išstojo iš klasterio');
      await page.locator('form[action$="/end"]').getByRole('button').click();
      await page.waitForURL(/\?done=end/);
      expect(await page.getAttribute('[data-status]', 'data-status')).toBe('ended');
      expect(await page.locator('form[action$="/suspend"], form[action$="/end"]').count()).toBe(0);
      expect(await page.textContent('main')).toContain('Įmonė išstojo iš klasterio');

      // Ended, it may be erased (GDPR Art. 17): a reason is required, the description marked personal.
      const erase = page.locator('form[action$="/erase"]');
      await erase.getByRole('button').click();
      expect(await page.locator('#erase-reason-error').textContent()).toContain(
        t(locale, 'console.members.step.reasonRequired'),
      );
      await page.locator('#erase-reason').fill('Prašymas 2027-01-15');
      await page.locator('#erase-personal-description').check();
      await page.locator('form[action$="/erase"]').getByRole('button').click();
      await page.waitForURL(/\?done=erase/);
      expect(await page.locator('[data-erased-at]').count()).toBe(1);
      expect(await page.locator('form[action$="/erase"]').count()).toBe(0);
      const erased = (await stack.http('membership').get(`/members/${second.id}`).set(auth()).expect(200)).body;
      expect(erased).toMatchObject({ contact: null, description: null });
      expect(await page.textContent('main')).toContain(t(locale, 'console.review.history.action.erased'));
      await page.goto(url(`/console/members?status=ended&q=${encodeURIComponent(tag)}`));
      expect(await page.locator('[data-member]').count()).toBe(1);
      expect(problems.errors).toEqual([]);
      expect(found).toEqual([]);
      await context.close();
    },
  );

  it('a coordinator erases a rejected applicant’s personal data, the motivation marked personal', async () => {
    const rejected = await submitApplication(`Atmesta ${randomUUID().slice(0, 6)} UAB`, 'lt');
    await stack
      .http('membership')
      .post(`/applications/${rejected.id}/reject`)
      .set(auth())
      .send({ reason: 'Ne šio regiono' })
      .expect(201);
    const { context, page, problems } = await coordinator('en');
    await page.goto(url(`/console/applications/${rejected.id}`));
    await page.locator('form[action$="/erase"]').getByRole('button').click();
    expect(await page.locator('#erase-reason-error').textContent()).toContain(
      t('en', 'console.review.decision.reasonRequired'),
    );
    await page.locator('#erase-reason').fill('Asked by email on 2027-01-15');
    await page.getByLabel(t('en', 'console.review.erase.motivation')).check();
    await page.locator('form[action$="/erase"]').getByRole('button').click();
    await page.waitForURL(/\?done=erase/);
    expect(await page.getByRole('status').first().textContent()).toContain(t('en', 'console.review.notice.erase'));
    expect(await page.locator('[data-erased-at]').count()).toBe(1);
    expect(await page.locator('form[action$="/erase"]').count()).toBe(0);
    expect(await page.textContent('main')).not.toContain(rejected.email);
    const erased = (await stack.http('membership').get(`/applications/${rejected.id}`).set(auth()).expect(200)).body;
    expect(erased).toMatchObject({ contact: null, motivation: null, status: 'rejected' });
    expect(erased.description).not.toBeNull(); // not marked: membership keeps it
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('(8) axe-core finds no serious or critical violation on the console pages at 1280 and 360 px, in Lithuanian and English', async () => {
    const hostile = `<script>alert(1)</script> Kenkėjas ${randomUUID().slice(0, 6)}`;
    const open = await submitApplication(hostile, 'lt');
    const decided = await submitApplication(`Nuspręsta ${randomUUID().slice(0, 6)} UAB`, 'en');
    await stack
      .http('membership')
      .post(`/applications/${decided.id}/reject`)
      .set(auth())
      .send({ reason: 'Ne šio regiono' })
      .expect(201);
    const memberId = await stack.admit(
      applicationBody({
        legalName: `Prienų Pienas ${randomUUID().slice(0, 6)} UAB`,
        registrationCode: randomLithuanianCompanyCode(),
      }),
    );
    const signedIn = await coordinator('lt');
    const cookies: Parameters<BrowserContext['addCookies']>[0] = (
      await signedIn.context.cookies(stack.portalUrl)
    ).filter((c) => c.name === SESSION_COOKIE);
    await signedIn.context.close();

    const pages: { name: string; path: string; h1: (l: Locale) => string | null }[] = [
      { name: 'console-review', path: '/console/review', h1: (l) => t(l, 'console.review.title') },
      { name: 'console-application', path: `/console/applications/${open.id}`, h1: () => hostile },
      { name: 'console-application-decided', path: `/console/applications/${decided.id}`, h1: () => null },
      { name: 'console-members', path: '/console/members', h1: (l) => t(l, 'console.members.title') },
      {
        name: 'console-members-empty',
        path: '/console/members?q=niekonerasta&status=ended',
        h1: (l) => t(l, 'console.members.title'),
      },
      { name: 'console-member', path: `/console/members/${memberId}`, h1: () => null },
      { name: 'console-member-edit', path: `/console/members/${memberId}/edit`, h1: () => null },
    ];
    const found: unknown[] = [];
    for (const locale of ['lt', 'en'] as Locale[]) {
      for (const width of WIDTHS) {
        const { context, page, problems } = await newContext(browser, { width });
        await context.addCookies([{ name: 'valley-lang', value: locale, url: stack.portalUrl }, ...cookies]);
        for (const p of pages) {
          const response = await page.goto(url(p.path));
          expect([p.name, response!.status()]).toEqual([p.name, 200]);
          const h1 = p.h1(locale);
          if (h1) expect([p.name, await page.locator('h1').textContent()]).toEqual([p.name, h1]);
          await expectAccessible(page, `${p.name}-${locale}`, width, found);
          await screenshot(page, `${p.name}-${locale}`, width);
        }
        // The hostile name is text, never markup.
        await page.goto(url(`/console/applications/${open.id}`));
        expect(await page.locator('main script').count()).toBe(0);
        expect(problems.errors).toEqual([]);
        await context.close();
      }
    }
    expect(found).toEqual([]);
  });
});
