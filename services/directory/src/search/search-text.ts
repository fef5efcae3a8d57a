/**
 * Text as the search sees it: lower case, diacritics removed (ą→a, č→c, ž→z ...), so that
 * `Pazangios` finds `Pažangios` and `pažangios` finds `Pazangios`. Done in one place for both
 * sides: the indexed text and the query.
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

/**
 * NACE codes a member's code answers to as a filter: `C26.11` → C, C26, C26.1, C26.11. Kept per
 * member in the search index, so `sector=C` (section) and `sector=C26` (division) are plain array-overlap matches.
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
