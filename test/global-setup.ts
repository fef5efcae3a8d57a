import 'tsconfig-paths/register';
import 'reflect-metadata';
import { ServiceNames } from '@valley/contracts';
import { resetSchemas } from '../scripts/infra/postgres';
import { migrateService } from '../scripts/infra/service-databases';
import { provideTestInfra, TestInfra } from './test-infra';

declare global {
  var __VALLEY_TEST_INFRA__: TestInfra | undefined;
}

/**
 * Once per `jest` run (integration and e2e projects): real Postgres and Kafka, fresh service
 * schemas with every migration applied. Workers read the addresses from the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__VALLEY_TEST_INFRA__) return;
  const infra = await provideTestInfra();
  try {
    await resetSchemas(infra.databaseUrl);
    for (const service of ServiceNames) await migrateService(infra.databaseUrl, service);
  } catch (error) {
    // jest skips the teardown when the setup fails: stop what we started ourselves.
    await infra.stop();
    throw error;
  }
  globalThis.__VALLEY_TEST_INFRA__ = infra;
  process.env.VALLEY_TEST_DATABASE_URL = infra.databaseUrl;
  process.env.VALLEY_TEST_KAFKA_BROKERS = infra.kafkaBrokers;
}
