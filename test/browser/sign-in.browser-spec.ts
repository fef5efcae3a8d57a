import { randomLithuanianCompanyCode } from '@valley/contracts';
import { coordinatorToken, DEV_IDP_COORDINATOR, DEV_IDP_PERSON } from '@valley/platform/testing';
import { applicationBody } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Locale } from '../../services/portal/src/i18n/locale';
import { Messages } from '../../services/portal/src/i18n/messages';
import { DEV_ONLY_PORTAL_COOKIE_SECRET } from '../../services/portal/src/portal.config';
import { asPortalSession, nowSeconds, PortalSession, SessionSealer } from '../../services/portal/src/session';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/chromium';
import { newContext, screenshot, sidewaysOverflow, WIDTHS } from './support/pages';
import { PortalStack } from './support/portal-stack';

jest.setTimeout(240_000);

const messages = Messages.load();
const t = (locale: Locale, key: string, params: Record<string, string> = {}) => messages.t(locale, key, params);
const LINK = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\/link\?token=[A-Za-z0-9_-]{43})/;
/** The session cookie as the test stack names it (not Secure under NODE_ENV=test: no __Host- prefix). */
const SESSION_COOKIE = 'valley-session';
/** The stack's portal runs with the DEV ONLY secret: the test can open and re-seal its session cookie. */
const sealer = new SessionSealer(DEV_ONLY_PORTAL_COOKIE_SECRET);

/**
 * Signing in (portal part 2) in headless Chromium: coordinators through the real DEV ONLY OpenID
 * Connect provider (its own process), members by the link membership emails through notifications
 * to an SMTP server; the session cookie, its renewal, sign-out, the guarded areas (issue test 7:
 * a member's session cannot open /console, an anonymous visitor is sent to sign in and back).
 */
describe('signing in, in a browser', () => {
  const stack = new PortalStack({ identityProvider: true });
  let browser: Browser;
  const member = { name: `Tiksli Mechanika ${randomUUID().slice(0, 6)} UAB`, email: '', id: '' };
  const suspended = { name: `Sustabdyta ${randomUUID().slice(0, 6)} UAB`, email: '', id: '' };

  async function admit(who: typeof member): Promise<void> {
    who.email = `kontaktas-${randomUUID().slice(0, 8)}@example.lt`;
    who.id = await stack.admit(
      applicationBody({
        legalName: who.name,
        registrationCode: randomLithuanianCompanyCode(),
        contact: { name: 'Ona Onaitė', email: who.email, language: 'lt' },
      }),
    );
  }

  beforeAll(async () => {
    [browser] = await Promise.all([launchChromium(), stack.start()]);
    await Promise.all([admit(member), admit(suspended)]);
    await stack
      .http('membership')
      .post(`/members/${suspended.id}/suspend`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .send({ reason: 'Nario mokestis nesumokėtas <b>2026</b>' })
      .expect(201);
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const newBrowserContext = (options: { width?: number; locale?: string } = {}) => newContext(browser, options);

  const url = (path: string) => `${stack.portalUrl}${path}`;
  const path = (page: Page) => {
    const u = new URL(page.url());
    return `${u.pathname}${u.search}`;
  };

  /** On /sign-in: asks for a link for `email`; the SMTP server receives it; the link. */
  async function askForLink(page: Page, email: string, locale: Locale = 'lt'): Promise<string> {
    const before = stack.smtp.messages.length;
    await page.getByLabel(t(locale, 'signIn.email.label')).fill(email);
    await page.getByRole('button', { name: t(locale, 'signIn.email.button') }).click();
    await page.waitForURL(url('/sign-in/check-email'));
    expect(await page.locator('h1').textContent()).toBe(t(locale, 'signIn.checkEmail.title'));
    const mail = await stack.smtp.waitFor(
      (m) => m.to.includes(email) && LINK.test(m.text) && stack.smtp.messages.indexOf(m) >= before,
    );
    return LINK.exec(mail.text)![1];
  }

  /** Opens the emailed link and confirms (the GET alone signs nobody in). */
  async function openLink(page: Page, link: string, locale: Locale = 'lt'): Promise<void> {
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe(t(locale, 'signIn.link.title'));
    expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: SESSION_COOKIE }));
    await page.getByRole('button', { name: t(locale, 'signIn.link.button') }).click();
  }

  async function memberSignIn(page: Page, who = member): Promise<void> {
    await page.goto(url('/sign-in'));
    await openLink(page, await askForLink(page, who.email));
    await page.waitForURL(url('/account'));
  }

  /**
   * From the portal's "Sign in as coordinator" to wherever the portal sends the browser back: the
   * provider's DEV ONLY pages (pick the account, allow) when it asks, nothing when its session and
   * grant already exist.
   */
  async function coordinatorSignIn(page: Page, account = DEV_IDP_COORDINATOR, locale: Locale = 'lt'): Promise<void> {
    await page.getByRole('button', { name: t(locale, 'signIn.coordinator.button') }).click();
    for (let step = 0; step < 4; step++) {
      await page.waitForLoadState();
      if (page.url().startsWith(stack.portalUrl)) return;
      expect(page.url().startsWith(stack.identityProvider!.issuer)).toBe(true);
      if (await page.locator(`input[name="account"][value="${account}"]`).count()) {
        expect(await page.textContent('body')).toContain('DEV ONLY');
        await page.check(`input[name="account"][value="${account}"]`);
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
      } else {
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Allow' }).click()]);
      }
    }
    await page.waitForURL((u) => u.href.startsWith(stack.portalUrl));
  }

  async function sessionOf(context: BrowserContext): Promise<PortalSession | null> {
    const cookie = (await context.cookies(stack.portalUrl)).find((c) => c.name === SESSION_COOKIE);
    if (!cookie) return null;
    const payload = await sealer.open('session', cookie.value);
    return payload ? asPortalSession(payload) : null;
  }

  async function setSession(context: BrowserContext, session: PortalSession): Promise<void> {
    const value = await sealer.seal('session', session, session.sessionExpiresAt);
    await context.addCookies([{ name: SESSION_COOKIE, value, url: stack.portalUrl, httpOnly: true, sameSite: 'Lax' }]);
  }

  it('(a) a coordinator signs in through the provider, lands on /console, and signs out there too', async () => {
    const { context, page, problems } = await newBrowserContext();
    await page.goto(url('/sign-in'));
    await coordinatorSignIn(page);
    expect(path(page)).toBe('/console');
    expect(await page.locator('h1').textContent()).toBe(t('lt', 'console.title'));
    for (const key of ['review', 'members', 'import', 'emails', 'reports']) {
      expect(
        await page.getByRole('link', { name: t('lt', `console.sections.${key}.title`) }).getAttribute('href'),
      ).toBe(`/console/${key}`);
    }
    expect(
      await page
        .getByRole('navigation')
        .getByRole('link', { name: t('lt', 'nav.console') })
        .count(),
    ).toBe(1);

    // The cookie: HttpOnly, SameSite=Lax, for the session's length; inside, the provider's tokens.
    const cookie = (await context.cookies(stack.portalUrl)).find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.value).not.toContain(DEV_IDP_COORDINATOR);
    const session = (await sessionOf(context))!;
    expect(session).toMatchObject({ kind: 'coordinator', subject: DEV_IDP_COORDINATOR, coordinator: true });
    expect(session.refreshToken).toEqual(expect.any(String));
    expect(await page.evaluate<string>('document.cookie')).not.toContain(SESSION_COOKIE);

    // Sign-out: the header's button, the provider's own sign-out page, back at the portal's home.
    await page.getByRole('button', { name: t('lt', 'nav.signOut') }).click();
    await page.waitForURL((u) => u.href.startsWith(stack.identityProvider!.issuer));
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.waitForURL(url('/'));
    expect(await sessionOf(context)).toBeNull();
    expect(
      await page
        .getByRole('navigation')
        .getByRole('link', { name: t('lt', 'nav.signIn') })
        .count(),
    ).toBe(1);
    // The provider's session ended with its refresh tokens: the one the cookie held is refused.
    const token = await fetch(`${stack.identityProvider!.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('valley-portal:valley-dev-only-portal-client-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: session.refreshToken! }),
    });
    expect(token.status).toBe(400);
    await page.goto(url('/console'));
    expect(path(page)).toBe('/sign-in?next=%2Fconsole');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('(a) a person of the provider without the coordinator role is signed in, but the console says it is not theirs', async () => {
    const { context, page } = await newBrowserContext({ locale: 'en-GB' });
    await page.goto(url('/sign-in'));
    await coordinatorSignIn(page, DEV_IDP_PERSON, 'en');
    expect(path(page)).toBe('/console');
    expect(await page.locator('h1').textContent()).toBe(t('en', 'area.notCoordinator.title'));
    expect(await page.getByRole('button', { name: t('en', 'area.signOutAndSwitch') }).count()).toBe(1);
    await context.close();
  });

  it('(b) a member asks for a link, the email arrives, the link opened and confirmed lands on /account; opened again it is used', async () => {
    const { context, page, problems } = await newBrowserContext();
    await page.goto(url('/sign-in'));
    const link = await askForLink(page, member.email);
    // An address that is no member's gets the very same page (and no email).
    await page.goto(url('/sign-in'));
    await page.getByLabel(t('lt', 'signIn.email.label')).fill(`niekas-${randomUUID().slice(0, 6)}@example.lt`);
    await page.getByRole('button', { name: t('lt', 'signIn.email.button') }).click();
    await page.waitForURL(url('/sign-in/check-email'));

    await openLink(page, link);
    await page.waitForURL(url('/account'));
    expect(await page.locator('h1').textContent()).toBe(member.name);
    expect(await page.textContent('main')).toContain(t('lt', 'vocab.memberStatus.active'));
    expect(
      await page
        .getByRole('navigation')
        .getByRole('link', { name: t('lt', 'nav.account') })
        .count(),
    ).toBe(1);
    expect(await sessionOf(context)).toMatchObject({ kind: 'member', memberId: member.id, subject: member.email });

    // The same link again, in another browser: used.
    const other = await newBrowserContext();
    await openLink(other.page, link);
    expect(await other.page.locator('h1').textContent()).toBe(t('lt', 'signIn.linkInvalid.title'));
    expect(await other.page.getByLabel(t('lt', 'signIn.email.label')).count()).toBe(1);
    expect(await sessionOf(other.context)).toBeNull();
    await other.context.close();

    // Sign-out ends membership's session: its refresh token no longer works.
    const { refreshToken } = (await sessionOf(context))!;
    await page.getByRole('button', { name: t('lt', 'nav.signOut') }).click();
    await page.waitForURL(url('/sign-in?signedOut=1'));
    expect(await sessionOf(context)).toBeNull();
    await stack.http('membership').post('/sign-in/refresh').send({ refreshToken }).expect(401);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('(b) a suspended member sees that it is suspended, and why (escaped)', async () => {
    const { context, page } = await newBrowserContext();
    await memberSignIn(page, suspended);
    expect(await page.locator('h1').textContent()).toBe(suspended.name);
    expect(await page.getByRole('alert').textContent()).toContain(t('lt', 'account.suspended.title'));
    expect(await page.getByRole('alert').textContent()).toContain('Nario mokestis nesumokėtas <b>2026</b>');
    await context.close();
  });

  it("(c) a member's session gets 403 at /console; a coordinator's is told /account is for members", async () => {
    const { context, page } = await newBrowserContext();
    await memberSignIn(page);
    const response = await page.goto(url('/console'));
    expect(response!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe(t('lt', 'area.coordinatorsOnly.title'));
    await context.close();

    const coordinator = await newBrowserContext();
    await coordinator.page.goto(url('/sign-in'));
    await coordinatorSignIn(coordinator.page);
    const account = await coordinator.page.goto(url('/account'));
    expect(account!.status()).toBe(403);
    expect(await coordinator.page.locator('h1').textContent()).toBe(t('lt', 'area.membersOnly.title'));
    await coordinator.context.close();
  });

  it('(c) an anonymous visitor at /account or /console is sent to sign in, and comes back to that page after', async () => {
    const { context, page } = await newBrowserContext();
    await page.goto(url('/console?from=test'));
    expect(path(page)).toBe(`/sign-in?next=${encodeURIComponent('/console?from=test')}`);
    await coordinatorSignIn(page);
    expect(path(page)).toBe('/console?from=test');
    await context.close();

    const anonymous = await newBrowserContext();
    await anonymous.page.goto(url('/account?from=test'));
    expect(path(anonymous.page)).toBe(`/sign-in?next=${encodeURIComponent('/account?from=test')}`);
    await openLink(anonymous.page, await askForLink(anonymous.page, member.email));
    await anonymous.page.waitForURL(url('/account?from=test'));
    expect(await anonymous.page.locator('h1').textContent()).toBe(member.name);
    await anonymous.context.close();

    // No open redirect: another site as `next` is ignored.
    const visitor = await newBrowserContext();
    await visitor.page.goto(url(`/sign-in?next=${encodeURIComponent('//evil.example/')}`));
    expect(await visitor.page.locator('input[name="next"]').count()).toBe(0);
    await visitor.context.close();
  });

  it('renews the access token with the refresh token before it expires; a session whose renewal is refused goes to sign in and back', async () => {
    // A coordinator (the provider's token endpoint) and a member (membership's /sign-in/refresh).
    const coordinator = await newBrowserContext();
    await coordinator.page.goto(url('/sign-in'));
    await coordinatorSignIn(coordinator.page);
    const memberContext = await newBrowserContext();
    await memberSignIn(memberContext.page);

    for (const { context, page, home } of [
      { ...coordinator, home: '/console' },
      { ...memberContext, home: '/account' },
    ]) {
      const before = (await sessionOf(context))!;
      await setSession(context, { ...before, accessExpiresAt: nowSeconds() + 5 });
      expect((await page.goto(url(home)))!.status()).toBe(200);
      const renewed = (await sessionOf(context))!;
      expect(renewed.accessToken).not.toBe(before.accessToken);
      expect(renewed.refreshToken).not.toBe(before.refreshToken);
      expect(renewed.accessExpiresAt).toBeGreaterThan(nowSeconds() + 300);
      expect(renewed.sessionExpiresAt).toBeLessThanOrEqual(before.sessionExpiresAt);

      // A refresh token the other side no longer takes (the session ended elsewhere): the session is over.
      // (Not the spent one: the portal shares a renewal's result for 30 s with requests that bring the same token.)
      await setSession(context, { ...renewed, refreshToken: 'A'.repeat(43), accessExpiresAt: nowSeconds() - 1 });
      await page.goto(url(`${home}?tab=1`));
      expect(path(page)).toBe(`/sign-in?next=${encodeURIComponent(`${home}?tab=1`)}&ended=1`);
      expect(await page.getByRole('status').textContent()).toContain(t('lt', 'signIn.ended'));
      expect(await sessionOf(context)).toBeNull();
    }
    await coordinatorSignIn(coordinator.page);
    expect(path(coordinator.page)).toBe('/console?tab=1');
    await coordinator.context.close();
    await memberContext.context.close();
  });

  it('(d) axe-core finds no serious or critical violation on the sign-in pages, /account and /console, at 1280 and 360 px, in Lithuanian and English', async () => {
    const memberContext = await newBrowserContext();
    await memberSignIn(memberContext.page);
    const memberCookies = await memberContext.context.cookies();
    const coordinator = await newBrowserContext();
    await coordinator.page.goto(url('/sign-in'));
    await coordinatorSignIn(coordinator.page);
    const coordinatorCookies = await coordinator.context.cookies(stack.portalUrl);
    const fakeToken = 'A'.repeat(43);

    const pages: { name: string; path: string; as?: 'member' | 'coordinator'; h1: (l: Locale) => string }[] = [
      { name: 'sign-in', path: '/sign-in', h1: (l) => t(l, 'signIn.title') },
      { name: 'sign-in-check-email', path: '/sign-in/check-email', h1: (l) => t(l, 'signIn.checkEmail.title') },
      { name: 'sign-in-link', path: `/sign-in/link?token=${fakeToken}`, h1: (l) => t(l, 'signIn.link.title') },
      { name: 'sign-in-link-invalid', path: '/sign-in/link?token=x', h1: (l) => t(l, 'signIn.linkInvalid.title') },
      { name: 'account', path: '/account', as: 'member', h1: () => member.name },
      { name: 'console', path: '/console', as: 'coordinator', h1: (l) => t(l, 'console.title') },
      { name: 'console-refused', path: '/console', as: 'member', h1: (l) => t(l, 'area.coordinatorsOnly.title') },
    ];
    const found: unknown[] = [];
    for (const locale of ['lt', 'en'] as Locale[]) {
      for (const width of WIDTHS) {
        const { context, page, problems } = await newBrowserContext({ width });
        await context.addCookies([{ name: 'valley-lang', value: locale, url: stack.portalUrl }]);
        for (const p of pages) {
          await context.clearCookies({ name: SESSION_COOKIE });
          if (p.as)
            await context.addCookies(
              (p.as === 'member' ? memberCookies : coordinatorCookies).filter((c) => c.name === SESSION_COOKIE),
            );
          await page.goto(url(p.path));
          expect([p.name, await page.locator('h1').textContent()]).toEqual([p.name, p.h1(locale)]);
          const violations = await seriousViolations(page);
          if (violations.length > 0) found.push({ page: p.name, locale, width, violations });
          expect([p.name, width, await sidewaysOverflow(page)]).toEqual([p.name, width, 0]);
          await screenshot(page, `${p.name}-${locale}`, width);
        }
        expect(problems.errors).toEqual([]);
        await context.close();
      }
    }
    expect(found).toEqual([]);
    await memberContext.context.close();
    await coordinator.context.close();
  });
});
