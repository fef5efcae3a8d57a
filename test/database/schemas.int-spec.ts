import { ServiceNames } from '@valley/contracts';
import { Client } from 'pg';
import { serviceDatabaseUrl } from '@valley/platform';
import { serviceDataSource } from '../../scripts/infra/service-databases';

const adminUrl = () => process.env.VALLEY_TEST_DATABASE_URL!;

describe('service schemas', () => {
  it.each(ServiceNames)(
    '%s: the migrations match the entities (generating a migration would produce nothing)',
    async (service) => {
      const dataSource = await serviceDataSource(adminUrl(), service).initialize();
      try {
        const pending = await dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
        expect(await dataSource.showMigrations()).toBe(false);
      } finally {
        await dataSource.destroy();
      }
    },
  );

  it.each(ServiceNames)('%s: its login role reaches its own schema and no other', async (service) => {
    const client = new Client({ connectionString: serviceDatabaseUrl(adminUrl(), service) });
    await client.connect();
    try {
      const own = await client.query(`SELECT count(*)::int AS n FROM "${service}".migrations`);
      expect(own.rows[0].n).toBeGreaterThan(0);
      for (const other of ServiceNames.filter((s) => s !== service)) {
        await expect(client.query(`SELECT 1 FROM "${other}".migrations`)).rejects.toThrow(
          `permission denied for schema ${other}`,
        );
        await expect(client.query(`CREATE TABLE "${other}".intruder (id int)`)).rejects.toThrow(/permission denied/);
      }
      await expect(client.query('CREATE TABLE public.intruder (id int)')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});
