/**
 * The check digit of a Lithuanian company code (juridinio asmens kodas, 9 digits): the sum of
 * the first eight digits weighted 1..8, modulo 11; when that is 10, again with weights
 * 3,4,5,6,7,8,9,1; when that is 10 too, the check digit is 0.
 */
export function lithuanianCheckDigit(firstEight: string): number {
  const digits = [...firstEight].map(Number);
  const weighted = (weights: number[]) => digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
  const first = weighted([1, 2, 3, 4, 5, 6, 7, 8]);
  if (first !== 10) return first;
  const second = weighted([3, 4, 5, 6, 7, 8, 9, 1]);
  return second === 10 ? 0 : second;
}

export function isLithuanianCompanyCode(code: unknown): boolean {
  return typeof code === 'string' && /^\d{9}$/.test(code) && lithuanianCheckDigit(code.slice(0, 8)) === Number(code[8]);
}

/** A valid Lithuanian company code whose first eight digits are `prefix` (for seeds, demos and tests). */
export function withLithuanianCheckDigit(prefix: string): string {
  return `${prefix}${lithuanianCheckDigit(prefix)}`;
}

/** A random valid Lithuanian company code (3xxxxxxxx, like codes given since 2004). */
export function randomLithuanianCompanyCode(): string {
  return withLithuanianCheckDigit(String(30_000_000 + Math.floor(Math.random() * 9_999_999)));
}
