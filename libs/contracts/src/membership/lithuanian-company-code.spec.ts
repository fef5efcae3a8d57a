import { isLithuanianCompanyCode, randomLithuanianCompanyCode } from './lithuanian-company-code';

describe('randomLithuanianCompanyCode', () => {
  it('gives valid codes of the 3xxxxxxxx kind, different ones', () => {
    const codes = Array.from({ length: 200 }, () => randomLithuanianCompanyCode());
    for (const code of codes) {
      expect(code).toMatch(/^3\d{8}$/);
      expect(isLithuanianCompanyCode(code)).toBe(true);
    }
    expect(new Set(codes).size).toBeGreaterThan(190);
    // spread over the range, not packed at one end of it
    expect(codes.some((c) => c < '350000000')).toBe(true);
    expect(codes.some((c) => c >= '350000000')).toBe(true);
  });
});
