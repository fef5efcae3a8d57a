/**
 * The words of the directory that are one small typo away from a query word: one letter wrong,
 * missing or extra, or two neighbouring letters swapped (`Metlao` → `metalo`). Found through
 * one-letter deletions (the SymSpell idea): two words are within one such edit only if they
 * share a deletion variant (or one is a variant of the other), so a lookup is a few hash reads
 * instead of a scan of the vocabulary. Only words of MIN_LENGTH letters or more take part: in
 * shorter words one letter is too much of the word. Words are only ever added (see Vocabulary).
 */
export class TypoDictionary {
  static readonly MIN_LENGTH = 4;
  /** Deletion variant (or the word itself) → the words that have it. */
  private readonly variants = new Map<string, string[]>();

  add(word: string): void {
    if (!eligible(word)) return;
    for (const variant of variantsOf(word)) {
      const words = this.variants.get(variant);
      if (words) words.push(word);
      else this.variants.set(variant, [word]);
    }
  }

  /** Known words within one edit of `word` (itself included, if known). */
  near(word: string): string[] {
    if (!eligible(word)) return [];
    const found = new Set<string>();
    for (const variant of variantsOf(word)) {
      for (const candidate of this.variants.get(variant) ?? []) {
        if (withinOneEdit(word, candidate)) found.add(candidate);
      }
    }
    return [...found];
  }
}

function eligible(word: string): boolean {
  return word.length >= TypoDictionary.MIN_LENGTH && /\p{L}/u.test(word);
}

/** The word and every variant of it with one letter deleted. */
function variantsOf(word: string): Set<string> {
  const variants = new Set([word]);
  for (let i = 0; i < word.length; i++) variants.add(word.slice(0, i) + word.slice(i + 1));
  return variants;
}

/** Whether a and b differ by at most one substitution, insertion, deletion or swap of neighbours. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.slice(i) === longer.slice(i + 1);
}
