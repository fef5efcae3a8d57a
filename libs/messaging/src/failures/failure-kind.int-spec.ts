import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { classifyFailure } from './failure-kind';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What TypeORM really throws when the server ends a connection (pg_terminate_backend, 57P01) in
 * the middle of a transaction, between two statements: the `error` event makes TypeORM release
 * the query runner, and the next statement fails with "Query runner already released", which
 * names no SQLSTATE. The fault tier met it under terminated connections: classified as the
 * event's, it used up the event's tries one by one (and could dead-letter it).
 */
describe('classifyFailure on a connection the server ends mid-transaction (real Postgres)', () => {
  let db: DataSource;
  let admin: Client;

  beforeAll(async () => {
    const url = process.env.VALLEY_TEST_DATABASE_URL;
    if (!url) throw new Error('test infrastructure missing: run through jest (global setup)');
    db = await new DataSource({ type: 'postgres', url, extra: { max: 2 } }).initialize();
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.destroy();
  });

  it('the next statement’s failure is the infrastructure’s', async () => {
    const failure = await db
      .transaction(async (manager) => {
        const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await sleep(300); // the server's 57P01 arrives while no statement runs
        await manager.query('SELECT 1');
      })
      .then(
        () => null,
        (error: unknown) => error,
      );

    expect(failure).toBeInstanceOf(Error);
    expect(classifyFailure(failure)).toBe('infrastructure');
    // The pool replaced the connection: the next transaction works.
    await expect(db.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });
});
