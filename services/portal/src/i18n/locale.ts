/** The portal's languages: Lithuanian by default, and English. */
export const Locales = ['lt', 'en'] as const;
export type Locale = (typeof Locales)[number];
export const DEFAULT_LOCALE: Locale = 'lt';

/** The tag Intl formats with: Lithuanian as in Lithuania, English as in Europe (day month year). */
export const INTL_LOCALE: Record<Locale, string> = { lt: 'lt-LT', en: 'en-GB' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (Locales as readonly string[]).includes(value);
}

/**
 * The reader's language: the one they chose with the switch (remembered in a cookie), else the
 * first of their browser's Accept-Language that the portal speaks (by weight, `en-US` counts as
 * `en`), else Lithuanian.
 */
export function pickLocale(acceptLanguage: string | undefined, remembered: string | undefined): Locale {
  if (isLocale(remembered)) return remembered;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      // No q: weight 1; a malformed q: 0 (not acceptable), as for q=0.
      const q = params.find((p) => /^\s*q=/.test(p));
      const weight =
        q === undefined ? 1 : /^\s*q=(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/.test(q) ? Number(q.split('=')[1]) : 0;
      return { language: range.trim().toLowerCase().split('-')[0], weight, index };
    })
    .filter((entry) => entry.language !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale) ?? DEFAULT_LOCALE;
}
