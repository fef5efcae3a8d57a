import { InboxMessage } from '../inbox/inbox-message.entity';
import { createInboxTableV1 } from '../inbox/inbox.migration';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { addOutboxTraceContextV2, createOutboxTableV1 } from '../outbox/outbox.migration';
import { DataSource } from 'typeorm';

/**
 * A schema of its own for testing the shared messaging pieces apart from any service:
 * the outbox and inbox tables (created by the same DDL the services' migrations use)
 * and a `things` table standing for some service state.
 */
export async function scratchSchema(name: string): Promise<DataSource> {
  const url = process.env.VALLEY_TEST_DATABASE_URL;
  if (!url) throw new Error('test infrastructure missing: run through jest (global setup)');
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    schema: name,
    entities: [OutboxMessage, InboxMessage],
    extra: { max: 6 },
  }).initialize();
  await dataSource.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  await dataSource.query(`CREATE SCHEMA "${name}"`);
  const runner = dataSource.createQueryRunner();
  try {
    await createOutboxTableV1(runner, name);
    await addOutboxTraceContextV2(runner, name);
    await createInboxTableV1(runner, name);
  } finally {
    await runner.release();
  }
  await dataSource.query(`CREATE TABLE "${name}".things (id uuid PRIMARY KEY, name text NOT NULL)`);
  return dataSource;
}

export async function dropScratchSchema(dataSource: DataSource, name: string): Promise<void> {
  await dataSource.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  await dataSource.destroy();
}
