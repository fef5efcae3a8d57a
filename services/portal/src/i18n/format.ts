import { isISO31661Alpha2 } from 'class-validator';
import { INTL_LOCALE, Locale } from './locale';

const CLUSTER_TIME_ZONE = 'Europe/Vilnius';

interface Formats {
  day: Intl.DateTimeFormat;
  moment: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
  regions: Intl.DisplayNames;
  collator: Intl.Collator;
}

const formats: Record<Locale, Formats> = {
  lt: make('lt'),
  en: make('en'),
};

function make(locale: Locale): Formats {
  const tag = INTL_LOCALE[locale];
  return {
    // A calendar day (`2020-04-27`) is that day wherever the reader is.
    day: new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' }),
    // A moment (`2026-11-27T08:15:00Z`) as the cluster's clock shows it.
    moment: new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short', timeZone: CLUSTER_TIME_ZONE }),
    number: new Intl.NumberFormat(tag),
    regions: new Intl.DisplayNames([tag], { type: 'region', fallback: 'code' }),
    collator: new Intl.Collator(tag),
  };
}

/** Days and country names are few and asked on every card: formatted once each. */
const memo: Record<Locale, { days: Map<string, string>; countries: Map<string, string> }> = {
  lt: { days: new Map(), countries: new Map() },
  en: { days: new Map(), countries: new Map() },
};

function remembered(cache: Map<string, string>, key: string, make: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size < 10_000) cache.set(key, value);
  }
  return value;
}

/** `2020-04-27` → "2020 m. balandžio 27 d." / "27 April 2020"; anything else as given. */
export function formatDay(locale: Locale, day: string | null | undefined): string {
  if (!day) return '';
  return remembered(memo[locale].days, day, () => {
    const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? day : formats[locale].day.format(date);
  });
}

/** An ISO timestamp in the cluster's time zone, in the reader's language. */
export function formatMoment(locale: Locale, at: string | null | undefined): string {
  if (!at) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : formats[locale].moment.format(date);
}

export function formatNumber(locale: Locale, value: number): string {
  return formats[locale].number.format(value);
}

/** `LT` → "Lietuva" / "Lithuania". */
export function countryName(locale: Locale, code: string): string {
  return remembered(memo[locale].countries, code, () => {
    try {
      return formats[locale].regions.of(code) ?? code;
    } catch {
      return code;
    }
  });
}

let countryCodes: string[] | null = null;

/** The ISO 3166-1 alpha-2 codes the API accepts (the same check as its validation). */
export function allCountryCodes(): string[] {
  if (!countryCodes) {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    countryCodes = [...letters].flatMap((a) => [...letters].map((b) => a + b)).filter((code) => isISO31661Alpha2(code));
  }
  return countryCodes;
}

/** Every country, by its name in the reader's language. */
export function countriesByName(locale: Locale): { code: string; name: string }[] {
  const { collator } = formats[locale];
  return allCountryCodes()
    .map((code) => ({ code, name: countryName(locale, code) }))
    .sort((a, b) => collator.compare(a.name, b.name));
}

export function compareText(locale: Locale, a: string, b: string): number {
  return formats[locale].collator.compare(a, b);
}
