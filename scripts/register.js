// Runs TypeScript sources directly (transpile only: `npm run typecheck` is the type gate)
// and resolves the @valley/* paths of tsconfig.base.json.
process.env.TS_NODE_TRANSPILE_ONLY ??= 'true';
process.env.TS_NODE_PROJECT ??= require('node:path').join(__dirname, '..', 'tsconfig.json');
require('ts-node/register');
require('tsconfig-paths/register');
require('reflect-metadata');
