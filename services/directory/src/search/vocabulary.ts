import { TypoDictionary } from './typo-dictionary';

/**
 * Every folded word the directory's texts have used, as small integer ids (postings are arrays
 * of ids, not strings), in word order for prefix lookups, with their typo neighbours. Only
 * grows: a word no member uses any more just has no postings (a few bytes each).
 */
export class Vocabulary {
  private readonly dictionary = new ValueDictionary();
  private readonly words = this.dictionary.values;
  private readonly typos = new TypoDictionary();
  /** Word ids in word order; rebuilt after new words come. */
  private sorted: Int32Array | null = null;

  get size(): number {
    return this.words.length;
  }

  id(word: string): number {
    const known = this.words.length;
    const id = this.dictionary.id(word);
    if (id === known) {
      this.typos.add(word);
      this.sorted = null;
    }
    return id;
  }

  word(id: number): string {
    return this.words[id];
  }

  /** The ids of the words that begin with `prefix` (the word itself included). */
  withPrefix(prefix: string): Int32Array {
    const words = this.words;
    const sorted = (this.sorted ??= Int32Array.from(
      Array.from(words.keys()).sort((a, b) => (words[a] < words[b] ? -1 : 1)), // words are distinct
    ));
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (words[sorted[mid]] < prefix) low = mid + 1;
      else high = mid;
    }
    let end = low;
    while (end < sorted.length && words[sorted[end]].startsWith(prefix)) end++;
    return sorted.subarray(low, end);
  }

  /** The ids of the words one typo away from `word` (see TypoDictionary). */
  near(word: string): number[] {
    return this.typos.near(word).map((w) => this.dictionary.find(w)!);
  }
}

/** The values one filter has seen (regions, NACE codes, ...), as small integer ids. Only grows. */
export class ValueDictionary {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}
