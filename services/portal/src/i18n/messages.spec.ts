import { OrganisationTypes, SizeClasses } from '@valley/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWS_DIR } from '../views/view-renderer';
import { Messages } from './messages';

function templates(dir = VIEWS_DIR): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? templates(join(dir, entry.name))
      : entry.name.endsWith('.hbs')
        ? [{ file: join(dir, entry.name), text: readFileSync(join(dir, entry.name), 'utf8') }]
        : [],
  );
}

describe('the locale files', () => {
  const messages = Messages.load();

  it('have the same keys in Lithuanian and English', () => {
    expect(messages.keys('lt').sort()).toEqual(messages.keys('en').sort());
  });

  it('hold every key the templates name', () => {
    const used = templates().flatMap(({ text }) => [...text.matchAll(/\bt "([^"]+)"/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(50);
    for (const locale of ['lt', 'en'] as const) {
      expect(used.filter((key) => !messages.has(locale, key))).toEqual([]);
    }
  });

  it('name every value of the vocabulary the pages show', () => {
    const keys = [
      ...OrganisationTypes.map((v) => `vocab.organisationType.${v}`),
      ...SizeClasses.map((v) => `vocab.sizeClass.${v}`),
      ...['submitted', 'under_review', 'admitted', 'rejected', 'withdrawn'].flatMap((s) => [
        `vocab.applicationStatus.${s}`,
        `status.explain.${s}`,
      ]),
      ...['submitted', 'review_started', 'admitted', 'rejected', 'withdrawn'].map((a) => `vocab.historyAction.${a}`),
      ...['applicant', 'coordinator', 'system'].map((a) => `vocab.actor.${a}`),
    ];
    for (const locale of ['lt', 'en'] as const) expect(keys.filter((key) => !messages.has(locale, key))).toEqual([]);
  });

  it('count in each language: Lithuanian has its three plural forms', () => {
    expect([1, 2, 5, 10, 21, 0].map((count) => messages.t('lt', 'directory.count', { count }))).toEqual([
      'Rastas 1 narys',
      'Rasti 2 nariai',
      'Rasti 5 nariai',
      'Rasta 10 narių',
      'Rastas 21 narys',
      'Rasta 0 narių',
    ]);
    expect(messages.t('en', 'directory.count', { count: 1 })).toBe('1 member found');
    expect(messages.t('en', 'directory.count', { count: 12345 })).toBe('12,345 members found');
    expect(messages.t('lt', 'directory.count', { count: 12345 })).toMatch(/^Rasti 12\s345 nariai$/);
    expect(messages.t('lt', 'directory.count', { count: 11 })).toBe('Rasta 11 narių');
  });

  it('refuse a key that does not exist instead of showing nothing', () => {
    expect(() => messages.t('en', 'directory.nothing')).toThrow('no message "directory.nothing" in en');
  });
});

describe('the templates', () => {
  it('never use triple braces (unescaped output)', () => {
    expect(templates().filter(({ text }) => text.includes('{{{') || text.includes('{{&'))).toEqual([]);
  });

  it('hold no inline script or style (the Content-Security-Policy allows neither)', () => {
    for (const { file, text } of templates()) {
      expect({ file, inline: /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i.test(text) }).toEqual({
        file,
        inline: false,
      });
    }
  });
});
