import { Cluster } from '../content/cluster-content';
import { Messages } from '../i18n/messages';
import { ViewRenderer } from '../views/view-renderer';
import { encodeBase, fromRecord, merge } from './account-form';
import { record } from './account.fixtures';
import { AccountTexts, accountFormModel, conflictModel, historyModel, readOnlyModel } from './account-view';

const messages = Messages.load();
const cluster = Cluster.load();
const views = new ViewRenderer(messages, cluster);
const hostile = '<script>alert(1)</script>';

describe('the account pages', () => {
  it.each(['lt', 'en'] as const)('render the form in %s, escaped, with every field named as PATCH /me', (locale) => {
    const texts = new AccountTexts(locale, messages, cluster);
    const values = { ...fromRecord(record), description: hostile };
    const html = views.render(
      'account',
      { locale, url: '/account', csrfToken: 'csrf-token' },
      {
        titleKey: 'account.title',
        member: { ...record, legalName: hostile },
        email: 'ona@example.lt',
        base: encodeBase(values),
        version: 4,
        ...accountFormModel(values, [], texts, cluster, locale),
        directoryNotes: [],
        preview: {
          public: { listed: true, member: { ...record, legalName: hostile, contact: null, memberSince: '2026-03-02' } },
          members: { unavailable: true },
        },
      },
    );
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;script&gt;');
    expect(html.match(/name="_csrf" value="csrf-token"/g)).toHaveLength(2);
    for (const name of ['legalName', 'contact.phone', 'consent.publicContact', 'visibility.contactPhone', 'base']) {
      expect(html).toContain(`name="${name}"`);
    }
    expect(html).toContain('name="consent.announcements"');
    expect(html).toContain(messages.t(locale, 'account.preview.unavailable'));
    expect(html).toContain('id="visibility-contactPhone-hidden"');
  });

  it('render a suspended member read-only: no form, the values as text', () => {
    const texts = new AccountTexts('en', messages, cluster);
    const html = views.render(
      'account',
      { locale: 'en', url: '/account' },
      {
        titleKey: 'account.title',
        member: { ...record, status: 'suspended', statusReason: 'Unpaid <b>fee</b>' },
        suspended: true,
        readOnly: true,
        facts: readOnlyModel(fromRecord(record), texts),
        directoryNotes: [],
        preview: { public: { listed: false }, members: { listed: false } },
      },
    );
    expect(html).not.toContain('<form class="form');
    expect(html).toContain('Unpaid &lt;b&gt;fee&lt;/b&gt;');
    expect(html).toContain('Members only');
    expect(html).toContain(messages.t('en', 'account.preview.notListed'));
  });

  it('render the conflict: both values per field, a choice each, the merged values carried', () => {
    const texts = new AccountTexts('lt', messages, cluster);
    const base = fromRecord(record);
    const result = merge(
      base,
      { ...base, description: `Mano ${hostile}`, 'visibility.contactPhone': 'hidden' },
      { ...base, description: 'Jų', website: 'https://naujas.example.lt' },
    );
    const html = views.render(
      'account-conflict',
      { locale: 'lt', url: '/account', csrfToken: 't' },
      { titleKey: 'account.conflict.title', base: encodeBase(base), version: 5, ...conflictModel(result, texts) },
    );
    expect(html).not.toContain(hostile);
    expect(html).toContain('name="keep.description" type="radio" value="mine"');
    expect(html).toContain('name="keep.description" type="radio" value="theirs"');
    expect(html).toContain('name="conflicts" value="description"');
    expect(html).toContain('name="website" value="https://naujas.example.lt"');
    expect(html).toContain('name="visibility.contactPhone" value="hidden"');
    expect(html).toContain('Niekas');
  });

  it('name the history: you, the coordinator, the changed parts in words', () => {
    const texts = new AccountTexts('en', messages, cluster);
    const entries = historyModel(
      [
        {
          action: 'admitted',
          fromStatus: null,
          toStatus: 'active',
          actor: 'a1b2c3',
          reason: null,
          at: '2026-03-02T09:00:00Z',
        },
        {
          action: 'profile_updated',
          fromStatus: null,
          toStatus: null,
          actor: 'Ona@example.lt',
          reason: 'changed: description, visibility',
          at: '2026-03-03T09:00:00Z',
        },
      ],
      'ona@example.lt',
      texts,
    );
    expect(entries).toEqual([
      {
        at: '2026-03-03T09:00:00Z',
        what: 'Profile changed',
        actor: 'you (Ona@example.lt)',
        reason: 'Changed: description, who sees what',
      },
      { at: '2026-03-02T09:00:00Z', what: 'Admitted as a member', actor: 'the coordinator', reason: null },
    ]);
    const html = views.render(
      'account-history',
      { locale: 'en', url: '/account/history' },
      { titleKey: 'account.history.title', member: record, entries },
    );
    expect(html).toContain('Changed: description, who sees what');
  });
});
