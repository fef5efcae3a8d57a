import { ServiceNames } from '@valley/contracts';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** A real service process, started without what it needs, must stop and say what is missing. */
describe('a service with a missing or malformed variable refuses to start', () => {
  it.each(ServiceNames)('%s names each bad variable and exits with 78', (service) => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: 'not a broker list',
      PORT: 'eighty',
    };
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', `services/${service}/src/main.ts`], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(78);
    for (const variable of ['DATABASE_URL', 'AUTH_JWT_SECRET', 'KAFKA_BROKERS', 'PORT']) {
      expect(result.stderr).toContain(`${variable}:`);
    }
  });

  it('in production, refuses to start without AUTH_JWKS_URL, the HS256 secret notwithstanding (78)', () => {
    const result = spawnSync(process.execPath, ['-r', './scripts/register.js', 'services/reporting/src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://valley_reporting@127.0.0.1:1/valley',
        AUTH_JWT_SECRET: 'a-long-enough-signing-secret',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('AUTH_JWKS_URL: is required when NODE_ENV=production');
  });
});
