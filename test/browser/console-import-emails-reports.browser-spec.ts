import { randomLithuanianCompanyCode } from '@valley/contracts';
import { applicationBody, eventually } from '@valley/testing';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
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
const DIMENSIONS = ['sector', 'region', 'country', 'organisationType', 'sizeClass', 'focusArea'];
const HEADER =
  'legalName,registrationCode,country,region,organisationType,sizeClass,sectorCodes,focusAreas,website,description,contactName,contactEmail,contactPhone,contactLanguage,publicListing,announcements';

/**
 * The coordinator's console, part 2 (issue tests 5, 6 and 8 for these pages): Import, Emails and
 * Reports in headless Chromium with the Content-Security-Policy on, against the four services on
 * the real Postgres, Kafka and an SMTP server; the coordinator signs in through the OpenID Connect provider.
 */
describe('the console: import, emails, reports, in a browser', () => {
  const stack = new PortalStack({ identityProvider: true, servicesTrustProvider: true });
  let browser: Browser;
  const refusedAddress = `nepasiekiamas-${randomUUID().slice(0, 8)}@example.lt`;
  const bouncingAddress = `nebera-${randomUUID().slice(0, 8)}@example.lt`;
  const bouncingName = `Atmestas Adresas ${randomUUID().slice(0, 6)} UAB`;
  let bouncingMember = '';
  const api = (service: 'reporting' | 'notifications', path: string) =>
    stack.http(service).get(path).set('Authorization', `Bearer ${stack.coordinatorToken()}`);

  beforeAll(async () => {
    [browser] = await Promise.all([launchChromium(), stack.start()]);
    // One email that fails for good (550): a failed delivery to retry.
    stack.smtp.respondWith(({ to }) =>
      to.includes(refusedAddress) ? { code: 550, message: 'No such user' } : undefined,
    );
    await stack
      .http('membership')
      .post('/applications')
      .send(
        applicationBody({
          legalName: `Nepasiekiama ${randomUUID().slice(0, 6)} UAB`,
          contact: { name: 'Petras Petraitis', email: refusedAddress, language: 'lt' },
        }),
      )
      .expect(201);
    await eventually(async () => {
      const failed = await api('notifications', `/deliveries?recipient=${refusedAddress}&status=failed`).expect(200);
      expect(failed.body.items).toHaveLength(1);
    }, 60_000);
    stack.smtp.respondWith(() => undefined);
    // A member whose mailbox does not exist: the relay refuses it at RCPT (550 5.1.1), so it bounces.
    stack.smtp.refuseRecipients((address) => address === bouncingAddress);
    bouncingMember = await stack.admit(
      applicationBody({
        legalName: bouncingName,
        contact: { name: 'Rūta Rūtaitė', email: bouncingAddress, language: 'lt' },
        // No announcements: other files' admissions, in the shared schema, would fail to reach it.
        consent: { publicListing: true, announcements: false },
      }),
    );
    await eventually(async () => {
      const items = (await api('notifications', '/deliveries/bouncing').expect(200)).body.items;
      expect(items.map((b: { address: string }) => b.address)).toContain(bouncingAddress);
    }, 60_000);
    // Members to report on, whatever else the database holds.
    await stack.admit(applicationBody({ legalName: `Ataskaitų ${randomUUID().slice(0, 6)} UAB` }));
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const url = (path: string) => `${stack.portalUrl}${path}`;

  /** A coordinator's browser context, signed in through the OpenID Connect provider, on /console. */
  async function coordinatorPage(options: { width?: number; locale?: string } = {}) {
    const opened = await newContext(browser, options);
    await opened.page.goto(url('/sign-in?next=%2Fconsole'));
    await coordinatorSignIn(stack, opened.page, options.locale?.startsWith('en') ? 'en' : 'lt');
    await opened.page.waitForURL(url('/console'));
    return opened;
  }

  async function checkPage(page: Page, name: string, width: number): Promise<void> {
    expect({ name, width, violations: await seriousViolations(page) }).toEqual({ name, width, violations: [] });
    expect({ name, width, overflow: await sidewaysOverflow(page) }).toEqual({ name, width, overflow: 0 });
    await screenshot(page, name, width);
  }

  /**
   * Until the emails of the earlier tests (imported members' welcomes…) have gone out and reporting
   * has counted them: the page and the API are then read at rest.
   */
  async function settled(range: string): Promise<void> {
    let last = '';
    await eventually(
      async () => {
        const pending = await api('notifications', '/deliveries?status=pending&limit=1').expect(200);
        expect(pending.body.items).toEqual([]);
        const now = JSON.stringify((await api('reporting', `/reports/notifications?${range}`).expect(200)).body);
        const before = last;
        last = now;
        expect(now).toBe(before);
      },
      60_000,
      1_000,
    );
  }

  /** Clicks a download link or button; the downloaded file's text. */
  async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
  }

  function importFile(): { csv: string; good: string[]; badRows: string[] } {
    const good = [`Importuota Viena ${randomUUID().slice(0, 6)} UAB`, `Importuota Dvi ${randomUUID().slice(0, 6)} UAB`];
    const row = (name: string, code: string, email: string, description = '') =>
      `${name},${code},LT,Kauno apskritis,business,small,C26.1;J62,innovation_technologies,,${description},Ona Onaitė,${email},,lt,true,false`;
    const badCode = row(
      `Bloga Kodas ${randomUUID().slice(0, 6)} UAB`,
      '123',
      `kodas-${randomUUID().slice(0, 6)}@example.lt`,
    );
    const badEmail = row(
      `"Bloga, Paštas ${randomUUID().slice(0, 6)} UAB"`,
      randomLithuanianCompanyCode(),
      'ne-adresas',
      '"Aprašymas su ""kabutėmis""\r\nir antra eilute"',
    );
    const lines = [
      HEADER,
      row(good[0], randomLithuanianCompanyCode(), `gera-${randomUUID().slice(0, 6)}@example.lt`),
      badCode,
      row(good[1], randomLithuanianCompanyCode(), `antra-${randomUUID().slice(0, 6)}@example.lt`),
      badEmail,
    ];
    // Lines of the file: header 1, good 2, bad code 3, good 4, bad email 5–6 (a quoted line break).
    return { csv: `${lines.join('\r\n')}\r\n`, good, badRows: [badCode, badEmail] };
  }

  it.each<[Locale, string]>([
    ['lt', 'lt-LT'],
    ['en', 'en-GB'],
  ])(
    '(5, 8) in %s, the coordinator imports a CSV with good and bad rows, sees each row, downloads the refused ones and uploads them again',
    async (locale, browserLocale) => {
      const { context, page, problems } = await coordinatorPage({ locale: browserLocale });
      await page.goto(url('/console'));
      await page.getByRole('link', { name: t(locale, 'console.sections.import.title') }).click();
      await page.waitForURL(url('/console/import'));
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'console.import.title'));

      // Nothing chosen: the browser's own check stops it; without it the page says so.
      const file = importFile();
      await page.getByLabel(t(locale, 'console.import.file.label')).setInputFiles({
        name: 'nariai.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(file.csv, 'utf8'),
      });
      await Promise.all([
        page.waitForURL(url('/console/import')),
        page.getByRole('button', { name: t(locale, 'console.import.file.button') }).click(),
      ]);
      const rows = page.locator('[data-import-results] tbody tr');
      expect(await rows.count()).toBe(4);
      expect(await page.locator('[data-imported]').getAttribute('data-imported')).toBe('2');
      expect(await page.locator('[data-refused]').getAttribute('data-refused')).toBe('2');
      const outcomes = await Promise.all(
        (await rows.all()).map(async (r) => [
          await r.getAttribute('data-line'),
          await r.getAttribute('data-outcome'),
          ((await r.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
        ]),
      );
      expect(outcomes.map(([line, outcome]) => [line, outcome])).toEqual([
        ['2', 'imported'],
        ['3', 'refused'],
        ['4', 'imported'],
        // Membership's line of a record is csv-parse's `info.lines`: for one with a quoted line break
        // (lines 5–6 here), one past its last line.
        ['7', 'refused'],
      ]);
      expect(outcomes[0][2]).toContain(file.good[0]);
      expect(outcomes[1][2]).toMatch(/registrationCode|company code/i);
      expect(outcomes[3][2]).toContain('Bloga, Paštas');
      expect(outcomes[3][2]).toMatch(/email/i);

      // The refused rows, as they were in the file, header first: correct them and upload again.
      const refused = await download(page, () =>
        page.getByRole('button', { name: t(locale, 'console.import.results.download') }).click(),
      );
      expect(refused.name).toBe('nariai-refused.csv');
      expect(refused.text).toBe(`\uFEFF${HEADER}\r\n${file.badRows.join('\r\n')}\r\n`);
      await checkPage(page, `console-import-results-${locale}`, 1280);

      const corrected = refused.text
        .replace(',123,', `,${randomLithuanianCompanyCode()},`)
        .replace(',ne-adresas,', `,pataisyta-${randomUUID().slice(0, 6)}@example.lt,`);
      await page.getByLabel(t(locale, 'console.import.file.label')).setInputFiles({
        name: 'nariai-refused.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(corrected, 'utf8'),
      });
      await Promise.all([
        page.waitForURL(url('/console/import')),
        page.getByRole('button', { name: t(locale, 'console.import.file.button') }).click(),
      ]);
      expect(await page.locator('[data-imported]').getAttribute('data-imported')).toBe('2');
      expect(await page.locator('[data-refused]').getAttribute('data-refused')).toBe('0');
      expect(await page.getByRole('button', { name: t(locale, 'console.import.results.download') }).count()).toBe(0);

      // A post without its CSRF token (a forged form) is refused, multipart or not.
      const forged = await page.request.post(url('/console/import'), {
        multipart: { file: { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from(file.csv) } },
      });
      expect(forged.status()).toBe(403);
      expect(problems.errors).toEqual([]);
      await context.close();
    },
  );

  it.each<[Locale, string]>([
    ['lt', 'lt-LT'],
    ['en', 'en-GB'],
  ])(
    "(6, 8) in %s, every chart of the reports dashboard has one mark per data point, and its CSV has the API's numbers",
    async (locale, browserLocale) => {
      const { context, page, problems } = await coordinatorPage({ locale: browserLocale });
      const today = new Date().toISOString().slice(0, 10);
      const from = `${Number(today.slice(0, 4)) - 1}-01-01`;
      const range = `from=${from}&to=${today}`;
      await settled(range);
      await page.goto(url(`/console/reports?${range}&interval=month&asOf=${today}`));
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'console.reports.title'));

      const growth = (await api('reporting', `/reports/growth?${range}&interval=month`).expect(200)).body;
      const marks = page.locator('[data-chart="growth"] .mark');
      expect(await marks.count()).toBe(growth.points.length);
      expect(await marks.locator('title').allTextContents()).toEqual(
        growth.points.map(
          (p: { period: string; members: number }) =>
            `${p.period}: ${new Intl.NumberFormat(locale === 'lt' ? 'lt-LT' : 'en-GB').format(p.members)}`,
        ),
      );
      const growthCsv = await download(page, () => page.locator('[data-csv="growth"]').click());
      const growthRows = parse(growthCsv.text, { bom: true, columns: true }) as Record<string, string>[];
      expect(growthRows.map((r) => [r.period, Number(r.members), Number(r.admissions), Number(r.exits)])).toEqual(
        growth.points.map((p: { period: string; members: number; admissions: number; exits: number }) => [
          p.period,
          p.members,
          p.admissions,
          p.exits,
        ]),
      );

      for (const by of DIMENSIONS) {
        const composition = (await api('reporting', `/reports/composition?by=${by}&asOf=${today}`).expect(200)).body;
        expect({ by, marks: await page.locator(`[data-chart="composition-${by}"] .mark`).count() }).toEqual({
          by,
          marks: composition.groups.length,
        });
        const values = await page
          .locator(`[data-chart="composition-${by}"] [data-value]`)
          .all()
          .then((rows) => Promise.all(rows.map(async (r) => Number(await r.getAttribute('data-value')))));
        expect(values).toEqual(composition.groups.map((g: { members: number }) => g.members));
        const csv = await download(page, () => page.locator(`[data-csv="composition-${by}"]`).click());
        const csvRows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
        expect(csvRows.map((r) => [r[by], Number(r.members)])).toEqual(
          composition.groups.map((g: { value: string; members: number }) => [g.value, g.members]),
        );
      }
      expect(await page.locator('[data-chart="composition-sector"] .mark').count()).toBeGreaterThan(0);

      const funnel = (await api('reporting', `/reports/funnel?${range}`).expect(200)).body;
      const funnelValues = await page
        .locator('[data-chart="funnel"] [data-value]')
        .all()
        .then((rows) => Promise.all(rows.map(async (r) => Number(await r.getAttribute('data-value')))));
      expect(await page.locator('[data-chart="funnel"] .mark').count()).toBe(5);
      expect(funnelValues).toEqual([funnel.submitted, funnel.admitted, funnel.rejected, funnel.withdrawn, funnel.open]);
      const funnelCsv = parse((await download(page, () => page.locator('[data-csv="funnel"]').click())).text, {
        bom: true,
        columns: true,
      }) as Record<string, string>[];
      expect(funnelCsv.map((r) => Number(r.applications))).toEqual(funnelValues);

      const deliveries = (await api('reporting', `/reports/notifications?${range}`).expect(200)).body;
      expect(await page.locator('[data-chart="notifications"] .mark').count()).toBe(deliveries.rows.length);
      expect(await page.locator('[data-figure="sent"]').textContent()).toBe(
        new Intl.NumberFormat(locale === 'lt' ? 'lt-LT' : 'en-GB').format(deliveries.sent),
      );
      const notificationsCsv = parse(
        (await download(page, () => page.locator('[data-csv="notifications"]').click())).text,
        { bom: true, columns: true },
      ) as Record<string, string>[];
      expect(notificationsCsv.map((r) => [r.template, r.language, Number(r.sent), Number(r.failed)])).toEqual(
        deliveries.rows.map((r: { template: string; language: string; sent: number; failed: number }) => [
          r.template,
          r.language,
          r.sent,
          r.failed,
        ]),
      );

      // A bad day is named, and the page still shows the defaults.
      await page.goto(url('/console/reports?from=2026-02-30'));
      expect(await page.locator('.error-summary').textContent()).toContain(t(locale, 'console.reports.errors.from'));
      expect(await page.locator('[data-chart="growth"] .mark').count()).toBeGreaterThan(0);
      expect(problems.errors).toEqual([]);
      await context.close();
    },
  );

  it.each<[Locale, string]>([
    ['lt', 'lt-LT'],
    ['en', 'en-GB'],
  ])(
    'in %s, the delivery log filters by status, template and recipient, and a failed email is sent again',
    async (locale, browserLocale) => {
      const { context, page, problems } = await coordinatorPage({ locale: browserLocale });
      await page.goto(url('/console/emails'));
      expect(await page.locator('h1').textContent()).toBe(t(locale, 'console.emails.title'));
      await page.getByLabel(t(locale, 'console.emails.filters.status')).selectOption('failed');
      await page.getByLabel(t(locale, 'console.emails.filters.template')).selectOption('application-received');
      await page.getByLabel(t(locale, 'console.emails.filters.recipient')).fill(refusedAddress);
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: t(locale, 'console.emails.filters.apply') }).click(),
      ]);
      expect(new URL(page.url()).searchParams.get('template')).toBe('application-received');
      const item = page.locator('[data-delivery]');
      if (locale === 'lt') {
        expect(await item.count()).toBe(1);
        expect(await item.getAttribute('data-status')).toBe('failed');
        expect(await item.textContent()).toContain('550');
        await Promise.all([
          page.waitForNavigation(),
          item.getByRole('button', { name: new RegExp(t(locale, 'console.emails.retry.button')) }).click(),
        ]);
        expect(await page.locator('.notice').textContent()).toContain(t(locale, 'console.emails.retry.done'));
        // Back on the same filtered list: the email is no longer failed; it goes out.
        expect(new URL(page.url()).searchParams.get('recipient')).toBe(refusedAddress);
        await stack.smtp.waitFor((m) => m.to.includes(refusedAddress));
        const after = await api('notifications', `/deliveries?recipient=${refusedAddress}`).expect(200);
        expect(after.body.items.map((d: { status: string }) => d.status)).not.toContain('failed');
      } else {
        // Sent again in the first run: no failed email of that address any more.
        expect(await page.locator('[data-no-deliveries]').count()).toBe(1);
      }
      // A recipient that is no address is named at its field.
      await page.goto(url('/console/emails?recipient=ne-adresas'));
      expect(await page.locator('#filter-recipient-error').textContent()).toContain(
        t(locale, 'console.emails.filters.recipientError'),
      );
      // Every template, both languages: subject, text and the HTML in its sandboxed frame.
      await page.goto(url('/console/emails/templates'));
      const templates = (await api('notifications', '/templates').expect(200)).body.templates as string[];
      expect(await page.locator('[data-templates] a').count()).toBe(templates.length);
      for (const name of templates) {
        await page.goto(url(`/console/emails/templates/${name}`));
        for (const language of ['lt', 'en']) {
          const preview = (await api('notifications', `/templates/${name}/preview?language=${language}`).expect(200))
            .body;
          expect(await page.locator(`[data-preview="${language}"] [data-subject]`).textContent()).toBe(preview.subject);
        }
        const frame = page.frameLocator('iframe.console-emails-html').first();
        expect((await frame.locator('body').textContent())!.length).toBeGreaterThan(20);
      }
      expect(problems.errors).toEqual([]);
      await context.close();
    },
  );

  it.each<[Locale, string]>([
    ['lt', 'lt-LT'],
    ['en', 'en-GB'],
  ])('in %s, the coordinator finds the addresses that bounce and whose they are', async (locale, browserLocale) => {
    const { context, page, problems } = await coordinatorPage({ locale: browserLocale });
    await page.goto(url('/console/emails'));
    await Promise.all([
      page.waitForURL(url('/console/emails/bouncing')),
      page.getByRole('link', { name: t(locale, 'console.emails.bouncingLink') }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe(t(locale, 'console.emails.bouncing.title'));
    const item = page.locator(`[data-bouncing-address="${bouncingAddress}"]`);
    expect(await item.count()).toBe(1);
    const text = (await item.textContent())!;
    expect(text).toContain(t(locale, 'console.emails.bouncing.source.smtp'));
    expect(text).toContain('5.1.1');
    // The organisation's name leads to its member page, where its contact email can be changed.
    await Promise.all([
      page.waitForURL(url(`/console/members/${bouncingMember}`)),
      item.getByRole('link', { name: bouncingName }).click(),
    ]);
    // Its data export says so too: notifications' part has the address as bouncing.
    await Promise.all([
      page.waitForURL(url(`/console/members/${bouncingMember}/export`)),
      page.getByRole('link', { name: t(locale, 'console.members.exportLink') }).click(),
    ]);
    const bouncing = page.locator('[data-export-service="notifications"] [data-export-part="bouncing"]');
    expect(await bouncing.textContent()).toContain('5.1.1');
    expect(
      await page.locator('[data-export-service="membership"] [data-export-part="member"]').textContent(),
    ).toContain(bouncingName);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('(8) axe-core finds no serious or critical violation on these pages at 1280 and 360 px, lt and en; none scrolls sideways', async () => {
    const pages = [
      '/console/import',
      '/console/emails',
      '/console/emails?status=failed&recipient=ne-adresas',
      '/console/emails/templates',
      '/console/emails/templates/welcome',
      '/console/emails/bouncing',
      '/console/reports',
      `/console/members/${bouncingMember}/export`,
    ];
    for (const [locale, browserLocale] of [
      ['lt', 'lt-LT'],
      ['en', 'en-GB'],
    ] as const) {
      for (const width of WIDTHS) {
        const { context, page, problems } = await coordinatorPage({ width, locale: browserLocale });
        for (const path of pages) {
          await page.goto(url(path));
          expect(await page.locator('html').getAttribute('lang')).toBe(locale);
          const name = path.replace(bouncingMember, 'member').replace(/[/?&=]+/g, '-');
          await checkPage(page, `console${name}-${locale}`, width);
        }
        // The results page too, at this width.
        await page.goto(url('/console/import'));
        await page.getByLabel(t(locale, 'console.import.file.label')).setInputFiles({
          name: 'nariai.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(importFile().csv, 'utf8'),
        });
        await Promise.all([
          page.waitForURL(url('/console/import')),
          page.getByRole('button', { name: t(locale, 'console.import.file.button') }).click(),
        ]);
        await checkPage(page, `console-import-results-${locale}`, width);
        expect(problems.errors).toEqual([]);
        await context.close();
      }
    }
  });
});
