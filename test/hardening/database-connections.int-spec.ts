import { serviceDatabaseUrl, serviceDataSourceOptions } from '@valley/platform';
import { Client, Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/**
 * A connection the server ends (pg_terminate_backend, a restart: 57P01) while the service holds
 * it checked out emits `error` on the client. pg-pool takes its own listener off a client it hands
 * out, and TypeORM's comes a tick later: with nobody listening, the process would end. Every
 * pooled connection of every service gets a listener of its own for its whole life.
 */
describe('pooled database connections', () => {
  let dataSource: DataSource;
  let admin: Client;
  const errors: Error[] = [];

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: serviceDatabaseUrl(process.env.VALLEY_TEST_DATABASE_URL!, 'directory'),
        schema: 'directory',
        entities: [],
        migrations: [],
        onConnectionError: (error) => errors.push(error),
      }),
    );
    await dataSource.initialize();
    admin = new Client({ connectionString: process.env.VALLEY_TEST_DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin?.end();
  });

  const pool = () => (dataSource.driver as unknown as { master: Pool }).master;

  it('keeps an error listener on a connection while it is checked out', async () => {
    const client: PoolClient = await pool().connect();
    try {
      expect(client.listenerCount('error')).toBeGreaterThanOrEqual(1);
    } finally {
      client.release();
    }
  });

  it('survives the server ending a checked-out connection, reports it, and serves the next query', async () => {
    const client: PoolClient = await pool().connect();
    const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
    const ended = new Promise((resolve) => client.once('end', resolve));

    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    client.release(true);

    expect(errors.some((e) => /terminating connection/.test(e.message))).toBe(true);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('answers queries again after every connection of the pool was ended by the server', async () => {
    await Promise.all(Array.from({ length: 5 }, () => dataSource.query('SELECT pg_sleep(0.01)')));
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'valley_directory' AND datname = current_database() AND pid <> pg_backend_pid()`,
    );

    let answered = false;
    for (let attempt = 0; attempt < 5 && !answered; attempt++) {
      answered = await dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      );
    }
    expect(answered).toBe(true);
  });
});
