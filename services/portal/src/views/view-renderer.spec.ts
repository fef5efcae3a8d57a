import { Cluster } from '../content/cluster-content';
import { Messages } from '../i18n/messages';
import { applyFormModel } from '../apply/apply-form-view';
import { ViewRenderer } from './view-renderer';

const messages = Messages.load();
const cluster = Cluster.load();
const views = new ViewRenderer(messages, cluster);
const hostile = '<script>alert(1)</script>';

const member = {
  id: '8d0f2b0e-5a41-4c1e-9d6a-0a1e2f3b4c03',
  legalName: hostile,
  country: 'LT',
  region: 'Šiaulių apskritis',
  organisationType: 'business',
  sizeClass: 'micro',
  sectorCodes: ['M70.2'],
  focusAreas: ['cooperation'],
  website: 'javascript:alert(1)',
  description: `"quoted" & ${hostile}`,
  statement: null,
  logoUrl: 'javascript:alert(2)',
  contact: null,
  membershipType: 'founding',
  memberSince: '2020-04-27',
};

describe('the pages', () => {
  it.each(['lt', 'en'] as const)('render in %s with every text from the locale files', (locale) => {
    const context = { locale, url: '/x?y=1', csrfToken: 'csrf-token' };
    const home = views.render('home', context, { titleKey: 'home.title', memberCount: 6, newest: [member] });
    expect(home).toContain(`<html lang="${locale}">`);
    expect(home).toContain(cluster.in(locale).name);
    expect(home).toContain(locale === 'lt' ? '2020 m. balandžio 27 d.' : '27 April 2020');
    expect(home).toContain(`/language/${locale === 'lt' ? 'en' : 'lt'}?next&#x3D;%2Fx%3Fy%3D1`);
    for (const founder of cluster.in(locale).founders) expect(home).toContain(`/directory/${founder.memberId}`);
    for (const area of cluster.in(locale).focusAreas) expect(home).toContain(area.title);

    const apply = views.render('apply', context, {
      titleKey: 'apply.title',
      ...applyFormModel({}, [], locale, messages, cluster),
    });
    expect(apply).toContain('name="_csrf" value="csrf-token"');
    for (const name of [
      'legalName',
      'registrationCode',
      'country',
      'region',
      'organisationType',
      'sizeClass',
      'sectorCodes',
      'focusAreas',
      'website',
      'description',
      'motivation',
      'contact.name',
      'contact.email',
      'contact.phone',
      'contact.language',
      'consent.publicListing',
      'consent.announcements',
    ]) {
      expect(apply).toContain(`name="${name}"`);
    }
    expect(apply).toContain('<option value="C25.62">');
  });

  it('escape what the services send: a legal name with a script tag shows as text, no javascript: link', () => {
    const context = { locale: 'en' as const, url: '/directory' };
    const profile = views.render('member', context, {
      title: member.legalName,
      member,
      sectors: ['M70.2'],
      backHref: '/directory',
    });
    expect(profile).not.toContain(hostile);
    expect(profile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(profile).toContain('&quot;quoted&quot; &amp; &lt;script&gt;');
    expect(profile).not.toContain('javascript:');
  });

  it('link each error of the summary to its field and show it beside the field', () => {
    const model = applyFormModel(
      { legalName: hostile, registrationCode: '302512357', country: 'LT' },
      [{ field: 'registrationCode', key: 'apply.errors.registrationCode.ltCheckDigit' }],
      'en',
      messages,
      cluster,
    );
    const page = views.render(
      'apply',
      { locale: 'en', url: '/apply', csrfToken: 't' },
      { titleKey: 'apply.title', hasErrors: true, ...model },
    );
    expect(page).toContain('<title>Error: Apply to join the cluster');
    expect(page).toContain(
      '<a href="#registrationCode">This is not a valid Lithuanian company code: check the digits</a>',
    );
    expect(page).toMatch(
      /id="registrationCode-error"><span class="visually-hidden">Error:<\/span> This is not a valid/,
    );
    expect(page).toMatch(/id="registrationCode"[^>]*value="302512357"[^>]*aria-invalid="true"/s);
    expect(page).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});
