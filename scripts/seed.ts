/** npm run seed: creates the five founding members if missing (idempotent). */
import { seedFoundingMembers } from '../services/membership/src/seed/seed-founding-members';
import { DEFAULT_DATABASE_URL } from './infra/postgres';
import { serviceDataSource } from './infra/service-databases';

async function main(): Promise<void> {
  const dataSource = await serviceDataSource(
    process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    'membership',
  ).initialize();
  try {
    const created = await seedFoundingMembers(dataSource);
    console.log(created.length > 0 ? `created: ${created.join(', ')}` : 'founding members already present');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
