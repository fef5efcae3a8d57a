import { getDataSourceToken } from '@nestjs/typeorm';
import { randomLithuanianCompanyCode } from '@valley/contracts';
import { coordinatorToken } from '@valley/platform/testing';
import { applicationBody, eventually } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, Cookie, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { Contact } from '../../services/notifications/src/contacts/contact.entity';
import { Locale } from '../../services/portal/src/i18n/locale';
import { Messages } from '../../services/portal/src/i18n/messages';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/chromium';
import { memberSignIn } from './support/member-sign-in';
import { newContext, screenshot, sidewaysOverflow, WIDTHS } from './support/pages';
import { PortalStack } from './support/portal-stack';

jest.setTimeout(300_000);

const messages = Messages.load();
const t = (locale: Locale, key: string, params: Record<string, string> = {}) => messages.t(locale, key, params);
const browserLocale = (locale: Locale) => (locale === 'lt' ? 'lt-LT' : 'en-GB');
const SESSION_COOKIE = 'valley-session';

interface TestMember {
  name: string;
  email: string;
  phone: string;
  id: string;
}

/**
 * The member area (portal part 2) in headless Chromium against the real stack: (2) a member signs
 * in with the emailed link, changes the description and hides the phone; the public profile shows
 * the new description and no phone, members see what is shared with members; (3) two browser
 * sessions edit the same profile: the second is shown the conflict and nothing is lost; a member
 * suspended meanwhile is told its change was not saved and then reads only; the email preference
 * reaches notifications' contact book and the next announcement; (8) in Lithuanian and English,
 * axe-core on every account page (form, errors, saved, conflict, history, suspended) at 1280 and 360 px.
 */
describe('the member area, in a browser', () => {
  const stack = new PortalStack();
  let browser: Browser;
  const members: Record<string, TestMember> = {};

  async function admit(key: string, publicContact: boolean): Promise<TestMember> {
    const suffix = randomUUID().slice(0, 6);
    const who: TestMember = {
      name: `Tiksli Mechanika ${suffix} UAB`,
      email: `paskyra-${suffix}@example.lt`,
      phone: `+370 6${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      id: '',
    };
    who.id = await stack.admit(
      applicationBody({
        legalName: who.name,
        registrationCode: randomLithuanianCompanyCode(),
        contact: { name: `Ona ${suffix}`, email: who.email, phone: who.phone, language: 'lt' },
      }),
    );
    if (publicContact)
      await coordinatorPatch(who.id, { consent: { publicListing: true, announcements: true, publicContact: true } });
    members[key] = who;
    return who;
  }

  /** A coordinator changes the member through membership's API (If-Match the current version). */
  async function coordinatorPatch(id: string, body: Record<string, unknown>): Promise<void> {
    const auth = `Bearer ${coordinatorToken()}`;
    const current = await stack.http('membership').get(`/members/${id}`).set('Authorization', auth).expect(200);
    await stack
      .http('membership')
      .patch(`/members/${id}`)
      .set('Authorization', auth)
      .set('If-Match', `"${current.body.version}"`)
      .send(body)
      .expect(200);
  }

  beforeAll(async () => {
    [browser] = await Promise.all([launchChromium(), stack.start()]);
    await Promise.all([
      admit('j2-lt', true),
      admit('j2-en', true),
      admit('j3-lt', false),
      admit('j3-en', false),
      admit('suspended', false),
      admit('axe', false),
      admit('export', false),
    ]);
    // The directory shows the phones publicly before the journeys hide them.
    await eventually(async () => {
      for (const key of ['j2-lt', 'j2-en']) {
        const profile = await stack.http('directory').get(`/members/${members[key].id}`).expect(200);
        expect(profile.body.contact?.phone).toBe(members[key].phone);
      }
    }, 30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const url = (path: string) => `${stack.portalUrl}${path}`;
  const mainText = async (page: Page) => (await page.textContent('main')) ?? '';
  const group = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

  it.each(['lt', 'en'] as Locale[])(
    '(2, %s) the member changes the description and hides the phone; the public sees the new description and no phone, members what is shared with them',
    async (locale) => {
      const who = members[`j2-${locale}`];
      const { context, page, problems } = await newContext(browser, { locale: browserLocale(locale) });
      await memberSignIn(stack, page, who.email, locale);
      expect(await page.locator('h1').textContent()).toBe(who.name);
      await eventually(async () => {
        await page.goto(url('/account'));
        expect(await page.locator('[data-preview="preview-public"]').textContent()).toContain(who.phone);
      });

      const description = `${locale === 'lt' ? 'Tikslus CNC apdirbimas' : 'Precise CNC machining'} <b>${randomUUID().slice(0, 4)}</b>`;
      await page.locator('#description').fill(description);
      await group(page, t(locale, 'account.labels.visibility.contactPhone'))
        .getByLabel(t(locale, 'account.visibility.choice.hidden'))
        .check();
      await group(page, t(locale, 'account.labels.visibility.contactEmail'))
        .getByLabel(t(locale, 'account.visibility.choice.members'))
        .check();
      await page.getByRole('button', { name: t(locale, 'account.save'), exact: true }).click();
      await page.waitForURL(url('/account?saved=profile'));
      expect(await page.getByRole('status').first().textContent()).toContain(t(locale, 'account.saved.profile'));
      expect(await page.locator('#description').inputValue()).toBe(description);
      expect(await page.locator('#visibility-contactPhone-hidden').isChecked()).toBe(true);

      // The public: the directory's profile page, in a browser nobody signed in to.
      const visitor = await newContext(browser, { locale: browserLocale(locale) });
      await eventually(
        async () => {
          await visitor.page.goto(url(`/directory/${who.id}`));
          const text = await mainText(visitor.page);
          expect(text).toContain(description);
          expect(text).not.toContain(who.phone);
          expect(text).not.toContain(who.email);
        },
        20_000,
        500,
      );
      expect(await mainText(visitor.page)).toContain(`Ona `);
      await visitor.context.close();

      // Signed-in members: the directory as a member's token shows it (the preview's second panel).
      await eventually(async () => {
        await page.goto(url('/account'));
        const membersSee = (await page.locator('[data-preview="preview-members"]').textContent()) ?? '';
        expect(membersSee).toContain(description);
        expect(membersSee).toContain(who.email);
        expect(membersSee).not.toContain(who.phone);
        const publicSees = (await page.locator('[data-preview="preview-public"]').textContent()) ?? '';
        expect(publicSees).not.toContain(who.email);
        expect(publicSees).not.toContain(who.phone);
      });
      // And on the directory's own page: a signed-in member sees the members-only email there too.
      await page.goto(url(`/directory/${who.id}`));
      const signedInSees = await mainText(page);
      expect(signedInSees).toContain(who.email);
      expect(signedInSees).not.toContain(who.phone);
      await page.goto(url('/account'));

      // The history names the change, by the member.
      await page.getByRole('link', { name: t(locale, 'account.history.title') }).click();
      await page.waitForURL(url('/account/history'));
      const history = await mainText(page);
      expect(history).toContain(t(locale, 'account.history.actions.profile_updated'));
      expect(history).toContain(t(locale, 'account.history.actor.you', { email: who.email }));
      expect(problems.errors).toEqual([]);
      await context.close();
    },
  );

  it.each(['lt', 'en'] as Locale[])(
    '(3, %s) two sessions edit the same profile: the second is shown the conflict, chooses, and nothing is lost',
    async (locale) => {
      const who = members[`j3-${locale}`];
      const a = await newContext(browser, { locale: browserLocale(locale) });
      const b = await newContext(browser, { locale: browserLocale(locale) });
      await memberSignIn(stack, a.page, who.email, locale);
      await memberSignIn(stack, b.page, who.email, locale);
      const save = (page: Page) => page.getByRole('button', { name: t(locale, 'account.save'), exact: true }).click();

      // A: description and website. Saved.
      await a.page.locator('#description').fill('Description typed in session A');
      await a.page.locator('#website').fill('https://a.example.lt');
      await save(a.page);
      await a.page.waitForURL(url('/account?saved=profile'));

      // B, read before A saved: description and statement. Not saved: the conflict.
      await b.page.locator('#description').fill('Description typed in session B');
      await b.page.locator('#statement').fill('Statement typed in session B');
      await save(b.page);
      await b.page.waitForLoadState();
      expect(await b.page.locator('h1').textContent()).toBe(t(locale, 'account.conflict.title'));
      const field = group(b.page, t(locale, 'account.labels.description'));
      expect(await field.locator('[data-conflict-mine]').textContent()).toBe('Description typed in session B');
      expect(await field.locator('[data-conflict-theirs]').textContent()).toBe('Description typed in session A');
      const text = await mainText(b.page);
      expect(text).toContain(t(locale, 'account.conflict.theirsTitle'));
      expect(text).toContain('https://a.example.lt');
      expect(text).toContain(t(locale, 'account.conflict.yoursTitle'));
      expect(text).toContain('Statement typed in session B');

      // Saving without choosing is refused, and says so beside the field.
      await b.page.getByRole('button', { name: t(locale, 'account.conflict.save'), exact: true }).click();
      await b.page.waitForLoadState();
      expect(await b.page.locator('h1').textContent()).toBe(t(locale, 'account.conflict.title'));
      expect(await b.page.locator('.error-summary').textContent()).toContain(t(locale, 'account.conflict.chooseError'));

      // Lithuanian keeps B's description, English A's: either way the rest of both stays.
      const keep = locale === 'lt' ? 'mine' : 'theirs';
      await group(b.page, t(locale, 'account.labels.description'))
        .getByLabel(t(locale, keep === 'mine' ? 'account.conflict.keepMine' : 'account.conflict.keepTheirs'))
        .check();
      await b.page.getByRole('button', { name: t(locale, 'account.conflict.save'), exact: true }).click();
      await b.page.waitForURL(url('/account?saved=profile'));
      const expected = keep === 'mine' ? 'Description typed in session B' : 'Description typed in session A';
      for (const page of [b.page, a.page]) {
        await page.goto(url('/account'));
        expect(await page.locator('#description').inputValue()).toBe(expected);
        expect(await page.locator('#website').inputValue()).toBe('https://a.example.lt');
        expect(await page.locator('#statement').inputValue()).toBe('Statement typed in session B');
      }
      expect([...a.problems.errors, ...b.problems.errors]).toEqual([]);
      await a.context.close();
      await b.context.close();
    },
  );

  it('a member suspended while editing is told nothing was saved, then reads and cannot change', async () => {
    const who = members.suspended;
    const { context, page } = await newContext(browser);
    await memberSignIn(stack, page, who.email);
    await page.locator('#description').fill('Changed after the suspension');
    await stack
      .http('membership')
      .post(`/members/${who.id}/suspend`)
      .set('Authorization', `Bearer ${coordinatorToken()}`)
      .send({ reason: 'Nario mokestis nesumokėtas <b>2026</b>' })
      .expect(201);
    const response = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: t('lt', 'account.save'), exact: true }).click(),
    ]);
    expect(response[0].status()).toBe(403);
    await page.waitForLoadState();
    expect(await mainText(page)).toContain(t('lt', 'account.notSaved.readOnly'));
    expect(await mainText(page)).toContain('Nario mokestis nesumokėtas <b>2026</b>');
    expect(await page.locator('form.account-form').count()).toBe(0);
    expect(await page.getByRole('button', { name: t('lt', 'account.save') }).count()).toBe(0);
    expect(await mainText(page)).not.toContain('Changed after the suspension');
    await page.goto(url('/account'));
    expect(await page.locator('input[name="description"], textarea').count()).toBe(0);
    expect(await mainText(page)).toContain(t('lt', 'account.suspended.title'));
    await context.close();
  });

  it('the email preference: announcements off reaches notifications and the next announcement leaves the member out', async () => {
    const who = members['j2-lt'];
    const listener = members['j3-lt'];
    const { context, page } = await newContext(browser);
    await memberSignIn(stack, page, who.email);
    await page.getByLabel(t('lt', 'account.labels.consent.announcements')).uncheck();
    await page.getByRole('button', { name: t('lt', 'account.email.save') }).click();
    await page.waitForURL(url('/account?saved=email'));
    expect(await page.getByRole('status').first().textContent()).toContain(t('lt', 'account.saved.email'));
    expect(await page.getByLabel(t('lt', 'account.labels.consent.announcements')).isChecked()).toBe(false);
    await context.close();

    const contacts = stack.services.notifications!.get<DataSource>(getDataSourceToken()).getRepository(Contact);
    await eventually(async () =>
      expect((await contacts.findOneByOrFail({ organisationId: who.id })).announcements).toBe(false),
    );
    const newcomer = `Naujokė ${randomUUID().slice(0, 6)} UAB`;
    await stack.admit(applicationBody({ legalName: newcomer, registrationCode: randomLithuanianCompanyCode() }));
    // One statement plans the announcement for every consenting contact: the listener's arrival means it was planned.
    await stack.smtp.waitFor((m) => m.to.includes(listener.email) && m.text.includes(newcomer), 30_000);
    expect(stack.smtp.messages.filter((m) => m.to.includes(who.email) && m.text.includes(newcomer))).toEqual([]);
  });

  it.each(['lt', 'en'] as Locale[])(
    '(%s) the member reads everything Valley holds about its organisation, service by service, and downloads it as JSON',
    async (locale) => {
      const who = members.export;
      const { context, page, problems } = await newContext(browser, { locale: browserLocale(locale) });
      await memberSignIn(stack, page, who.email, locale);
      await Promise.all([
        page.waitForURL(url('/account/export')),
        page.getByRole('link', { name: t(locale, 'dataExport.link') }).click(),
      ]);
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'dataExport.title'));
      for (const service of ['membership', 'directory', 'notifications', 'reporting']) {
        const section = page.locator(`[data-export-service="${service}"]`);
        expect(await section.locator('h2').textContent()).toBe(t(locale, `dataExport.services.${service}.title`));
      }
      const text = async (service: string, part: string) =>
        (await page.locator(`[data-export-service="${service}"] [data-export-part="${part}"]`).textContent()) ?? '';
      expect(await text('membership', 'member')).toContain(who.name);
      expect(await text('membership', 'applications')).toContain(who.name);
      expect(await text('directory', 'entry')).toContain(who.phone);
      expect(await text('notifications', 'contact')).toContain(who.email);
      expect(await text('notifications', 'emails')).toContain('welcome');
      expect(await text('reporting', 'memberships')).toContain('full');

      const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export-json]').click()]);
      expect(file.suggestedFilename()).toMatch(new RegExp(`^valley-export-${who.id}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
      const json = JSON.parse(readFileSync((await file.path())!, 'utf8'));
      expect(json.organisationId).toBe(who.id);
      expect(Object.keys(json.services)).toEqual(['membership', 'directory', 'notifications', 'reporting']);
      expect(json.services.membership.member.contact.email).toBe(who.email);
      expect(json.services.directory.entry.contactPhone).toBe(who.phone);
      expect(JSON.stringify(json)).not.toMatch(/hash/i);
      expect(problems.errors).toEqual([]);
      await context.close();
    },
  );

  it('(8) axe-core finds no serious or critical violation on the account pages at 1280 and 360 px, in Lithuanian and English', async () => {
    const signIn = async (who: TestMember): Promise<Cookie[]> => {
      const { context, page } = await newContext(browser);
      await memberSignIn(stack, page, who.email);
      const cookies = (await context.cookies(stack.portalUrl)).filter((c) => c.name === SESSION_COOKIE);
      await context.close();
      return cookies;
    };
    const memberCookies = await signIn(members.axe);
    const suspendedCookies = await signIn(members.suspended);
    let round = 0;

    type Step = (page: Page, locale: Locale) => Promise<void>;
    const pages: { name: string; cookies: Cookie[]; open: Step; h1: (l: Locale) => string }[] = [
      { name: 'account', cookies: memberCookies, open: (p) => go(p, '/account'), h1: () => members.axe.name },
      {
        name: 'account-saved',
        cookies: memberCookies,
        open: (p) => go(p, '/account?saved=profile'),
        h1: () => members.axe.name,
      },
      {
        name: 'account-errors',
        cookies: memberCookies,
        open: async (p, l) => {
          await go(p, '/account');
          await p.locator('#legalName').fill('');
          await p.locator('#contact-email').fill('not an address');
          await p.getByRole('button', { name: t(l, 'account.save'), exact: true }).click();
          await p.waitForLoadState();
          expect(await p.locator('.error-summary').textContent()).toContain(t(l, 'account.errors.legalName.required'));
        },
        h1: () => members.axe.name,
      },
      {
        name: 'account-conflict',
        cookies: memberCookies,
        open: async (p, l) => {
          await go(p, '/account');
          round += 1;
          await coordinatorPatch(members.axe.id, { description: `Coordinator's text ${round}` });
          await p.locator('#description').fill(`Member's text ${round}`);
          await p.getByRole('button', { name: t(l, 'account.save'), exact: true }).click();
          await p.waitForLoadState();
        },
        h1: (l) => t(l, 'account.conflict.title'),
      },
      {
        name: 'account-history',
        cookies: memberCookies,
        open: (p) => go(p, '/account/history'),
        h1: (l) => t(l, 'account.history.title'),
      },
      {
        name: 'account-export',
        cookies: memberCookies,
        open: (p) => go(p, '/account/export'),
        h1: (l) => t(l, 'dataExport.title'),
      },
      {
        name: 'account-suspended',
        cookies: suspendedCookies,
        open: (p) => go(p, '/account'),
        h1: () => members.suspended.name,
      },
    ];
    async function go(page: Page, path: string): Promise<void> {
      await page.goto(url(path));
    }

    const found: unknown[] = [];
    for (const locale of ['lt', 'en'] as Locale[]) {
      for (const width of WIDTHS) {
        const { context, page, problems } = await newContext(browser, { width });
        await context.addCookies([{ name: 'valley-lang', value: locale, url: stack.portalUrl }]);
        for (const p of pages) {
          await context.clearCookies({ name: SESSION_COOKIE });
          await context.addCookies(p.cookies);
          await p.open(page, locale);
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
  });
});
