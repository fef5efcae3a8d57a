import { redactUrl } from './portal-logger';
import { safeNext } from './request-context';

describe('request helpers', () => {
  it('comes back only to a path on this site after the language switch', () => {
    expect(safeNext('/directory?q=led&sector=C')).toBe('/directory?q=led&sector=C');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext(['/apply'])).toBe('/');
    expect(safeNext(undefined)).toBe('/');
  });

  it('never logs the applicant token of a status link', () => {
    expect(redactUrl('/applications/1?token=secret-token')).toBe('/applications/1?token=[redacted]');
    expect(redactUrl('/applications/1?x=1&TOKEN=s&y=2')).toBe('/applications/1?x=1&TOKEN=[redacted]&y=2');
    expect(redactUrl('/directory?q=token')).toBe('/directory?q=token');
  });
});
