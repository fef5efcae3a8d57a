/**
 * npm run token -- coordinator [subject]: prints a development JWT (HS256, AUTH_JWT_SECRET) whose
 * `roles` claim holds the given comma-separated roles, issued by AUTH_ISSUER for AUTH_AUDIENCE
 * (the DEV ONLY values npm start gives the services), valid for 8 hours.
 */
import { signToken } from '@valley/platform';
import { DEV_AUTH_AUDIENCE, DEV_AUTH_ISSUER, DEV_AUTH_JWT_SECRET } from './infra/dev-defaults';

const [roles = 'coordinator', subject = 'dev-coordinator@valley.localhost'] = process.argv.slice(2);
const secret = process.env.AUTH_JWT_SECRET || DEV_AUTH_JWT_SECRET;
const token = signToken(secret, subject, roles.split(',').filter(Boolean), 8 * 3600, {
  issuer: process.env.AUTH_ISSUER || DEV_AUTH_ISSUER,
  audience: process.env.AUTH_AUDIENCE || DEV_AUTH_AUDIENCE,
});
process.stdout.write(`${token}\n`);
