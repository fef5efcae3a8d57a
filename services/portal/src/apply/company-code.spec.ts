import { isLithuanianCompanyCode, lithuanianCheckDigit } from '@valley/contracts';
import { join } from 'node:path';
import { PUBLIC_DIR } from '../views/view-renderer';

// The static browser script, loaded as the browser would not (it also exports itself to CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const browser = require(join(PUBLIC_DIR, 'js', 'company-code.js')) as {
  lithuanianCheckDigit(firstEight: string): number;
  isLithuanianCompanyCode(code: unknown): boolean;
};

describe('the company code check in the browser (public/js/company-code.js)', () => {
  it('gives the same check digit as libs/contracts for every kind of code', () => {
    let secondPass = 0;
    let zero = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < 100_000; n++) {
      const prefix = String(Math.floor(Math.random() * 100_000_000)).padStart(8, '0');
      const digits = [...prefix].map(Number);
      if (digits.reduce((s, d, i) => s + d * (i + 1), 0) % 11 === 10) {
        secondPass++;
        if (digits.reduce((s, d, i) => s + d * [3, 4, 5, 6, 7, 8, 9, 1][i], 0) % 11 === 10) zero++;
      }
      if (browser.lithuanianCheckDigit(prefix) !== lithuanianCheckDigit(prefix)) disagreements.push(prefix);
    }
    expect(disagreements).toEqual([]);
    // Both remainder-10 branches were exercised, not only the common case.
    expect(secondPass).toBeGreaterThan(100);
    expect(zero).toBeGreaterThan(0);
  });

  it.each([
    '302512358',
    '305123458',
    '302512340',
    '302512357',
    '30251235',
    '3025123588',
    '30251235a',
    '',
    123456789,
    null,
  ])('agrees on %p', (code) => {
    expect(browser.isLithuanianCompanyCode(code)).toBe(isLithuanianCompanyCode(code));
  });
});
