/**
 * Text as the search sees it: lower case, diacritics removed (ą→a, č→c, ž→z ...), so that
 * `Pazangios` finds `Pažangios` and `pažangios` finds `Pazangios`. Done here, in one place, on
 * both sides (stored text and query), instead of Postgres's `unaccent`, which is not IMMUTABLE
 * and so cannot feed a stored column or an index.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('lt')
    .normalize('NFC');
}

/** The words of a search query, folded: letters and digits only, at most `max` of them. */
export function queryTerms(q: string, max = 8): string[] {
  return (foldText(q).match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

/** A `to_tsquery('simple', …)` text where every word also matches as a prefix: `bal:* & led:*`. */
export function prefixTsQuery(terms: string[]): string {
  return terms.map((t) => `${t}:*`).join(' & ');
}

/**
 * NACE codes a stored code answers to as a filter: `C26.11` → C, C26, C26.1, C26.11. Stored per
 * entry, so `sector=C` (section) and `sector=C26` (division) are plain array-overlap matches.
 */
export function sectorPrefixes(codes: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const code of codes) {
    const match = /^([A-U])(\d{2})?(?:\.(\d)(\d)?)?$/.exec(code);
    if (!match) continue;
    const [, section, division, group, klass] = match;
    prefixes.add(section);
    if (division) prefixes.add(`${section}${division}`);
    if (group) prefixes.add(`${section}${division}.${group}`);
    if (klass) prefixes.add(`${section}${division}.${group}${klass}`);
  }
  return [...prefixes].sort();
}
