import { pickLocale } from './locale';

describe('pickLocale', () => {
  it('is Lithuanian without any hint, and for languages the portal does not speak', () => {
    expect(pickLocale(undefined, undefined)).toBe('lt');
    expect(pickLocale('', undefined)).toBe('lt');
    expect(pickLocale('de-DE,fr;q=0.8', undefined)).toBe('lt');
    expect(pickLocale('*', undefined)).toBe('lt');
  });

  it("takes the browser's first language the portal speaks, by weight, regions folded", () => {
    expect(pickLocale('en-US,en;q=0.9', undefined)).toBe('en');
    expect(pickLocale('de-DE,en;q=0.7,lt;q=0.8', undefined)).toBe('lt');
    expect(pickLocale('lt;q=0.2, EN-gb;q=0.9', undefined)).toBe('en');
    expect(pickLocale('de, en', undefined)).toBe('en');
    expect(pickLocale('en;q=0, lt;q=0.1', undefined)).toBe('lt');
  });

  it('prefers the remembered switch over the browser, and ignores a remembered value it does not know', () => {
    expect(pickLocale('en-US', 'lt')).toBe('lt');
    expect(pickLocale('lt', 'en')).toBe('en');
    expect(pickLocale('en', 'de')).toBe('en');
    expect(pickLocale('en;q=nonsense,lt;q=0.5', undefined)).toBe('lt');
  });
});
