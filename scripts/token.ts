/**
 * npm run token -- coordinator [subject]: prints a development JWT (HS256, AUTH_JWT_SECRET)
 * whose `roles` claim holds the given comma-separated roles.
 */
import { signToken } from '@valley/platform';
import { DEV_AUTH_JWT_SECRET } from './infra/dev-defaults';

const [roles = 'coordinator', subject = 'dev-coordinator@valley.localhost'] = process.argv.slice(2);
const secret = process.env.AUTH_JWT_SECRET || DEV_AUTH_JWT_SECRET;
process.stdout.write(`${signToken(secret, subject, roles.split(',').filter(Boolean))}\n`);
