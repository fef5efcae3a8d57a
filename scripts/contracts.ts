/**
 * Publishes the event contracts (libs/contracts) as documents:
 *
 *   npm run contracts            writes libs/contracts/schemas/published.json and libs/contracts/asyncapi.json
 *   npm run contracts -- --check says whether both are up to date (exit 1 when not), writes nothing
 *
 * A contract change old events or old consumers cannot take is refused (exit 1, with what broke):
 * it comes as a new schemaVersion with an upcaster (libs/contracts/src/versions/upcasters.ts).
 * The gate itself runs in `npm test` (libs/contracts/src/versions/published-schemas.spec.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { buildAsyncApiDocument } from '../libs/contracts/src/asyncapi/asyncapi-document';
import { EventEnvelopeSchema } from '../libs/contracts/src/envelope';
import { EventContracts } from '../libs/contracts/src/event-map';
import { compatibilityProblems, currentSchemas } from '../libs/contracts/src/versions/compatibility';
import { Published } from '../libs/contracts/src/versions/published-schemas';
import { EventUpcasters } from '../libs/contracts/src/versions/upcasters';

const root = join(__dirname, '..');
export const PUBLISHED_PATH = join(root, 'libs/contracts/schemas/published.json');
export const ASYNCAPI_PATH = join(root, 'libs/contracts/asyncapi.json');

async function writeJson(path: string, value: unknown): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(value), { ...options, parser: 'json' }));
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const registry = {
    contracts: EventContracts,
    published: Published,
    upcasters: EventUpcasters,
    envelope: EventEnvelopeSchema,
  };
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const asyncapi = buildAsyncApiDocument(version);
  const problems = compatibilityProblems(registry);
  const breaking = problems.filter((p) => !p.includes('run `npm run contracts`'));

  if (check) {
    const committed = JSON.parse(readFileSync(ASYNCAPI_PATH, 'utf8')) as unknown;
    const stale = [...problems, ...(isDeepStrictEqual(committed, asyncapi) ? [] : ['asyncapi.json is out of date'])];
    for (const problem of stale) console.error(`contracts: ${problem}`);
    if (stale.length === 0) console.log('contracts: published schemas and asyncapi.json are up to date');
    process.exit(stale.length ? 1 : 0);
  }
  if (breaking.length > 0) {
    for (const problem of breaking) console.error(`contracts: ${problem}`);
    console.error('contracts: nothing written');
    process.exit(1);
  }
  await writeJson(PUBLISHED_PATH, currentSchemas(registry));
  await writeJson(ASYNCAPI_PATH, asyncapi);
  const events = Object.keys(EventContracts).length;
  console.log(
    `contracts: ${events} events published in libs/contracts/schemas/published.json and libs/contracts/asyncapi.json`,
  );
}

void main();
