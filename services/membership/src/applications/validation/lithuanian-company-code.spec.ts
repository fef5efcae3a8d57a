import { FOUNDING_MEMBERS } from '../../seed/founding-members';
import {
  isLithuanianCompanyCode,
  lithuanianCheckDigit,
  randomLithuanianCompanyCode,
  withLithuanianCheckDigit,
} from '@valley/contracts';

describe('Lithuanian company code', () => {
  it('accepts the founding members’ codes', () => {
    for (const founder of FOUNDING_MEMBERS) expect(isLithuanianCompanyCode(founder.registrationCode)).toBe(true);
  });

  it('computes the check digit with the first weights (1..8)', () => {
    // 3*1 + 0*2 + 2*3 + 5*4 + 1*5 + 2*6 + 3*7 + 4*8 = 99 = 9 * 11 → 0
    expect(lithuanianCheckDigit('30251234')).toBe(0);
    expect(isLithuanianCompanyCode('302512340')).toBe(true);
    expect(isLithuanianCompanyCode('302512341')).toBe(false);
  });

  it('falls back to the second weights when the first sum leaves 10, and to 0 when that does too', () => {
    // find prefixes that take each branch, and check them against a direct computation
    const sum = (p: string, w: number[]) => [...p].reduce((s, d, i) => s + Number(d) * w[i], 0) % 11;
    let second: string | undefined;
    let zero: string | undefined;
    for (let n = 10_000_000; n < 10_100_000 && !(second && zero); n++) {
      const p = String(n);
      if (sum(p, [1, 2, 3, 4, 5, 6, 7, 8]) !== 10) continue;
      if (sum(p, [3, 4, 5, 6, 7, 8, 9, 1]) === 10) zero ??= p;
      else second ??= p;
    }
    expect(lithuanianCheckDigit(second!)).toBe(sum(second!, [3, 4, 5, 6, 7, 8, 9, 1]));
    expect(lithuanianCheckDigit(zero!)).toBe(0);
  });

  it.each(['30251234', '3025123400', '30251234a', '', ' 302512340'])('refuses the malformed %p', (code) => {
    expect(isLithuanianCompanyCode(code)).toBe(false);
  });

  it('makes valid codes', () => {
    expect(isLithuanianCompanyCode(withLithuanianCheckDigit('12345678'))).toBe(true);
    for (let i = 0; i < 100; i++) expect(isLithuanianCompanyCode(randomLithuanianCompanyCode())).toBe(true);
  });
});
