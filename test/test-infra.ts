import { LOCAL_KAFKA_BROKERS, localKafka, localKafkaRunning } from '../scripts/infra/kafka';
import { postgresAnswers } from '../scripts/infra/postgres';
import { execFileSync } from 'node:child_process';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/valley_test';

export interface TestInfra {
  databaseUrl: string;
  kafkaBrokers: string;
  stop(): Promise<void>;
}

/** Refuses to run against a database whose name does not say it is for tests: tests drop schemas. */
export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) {
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  }
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Real Postgres and Kafka for the tests, from the first source that has them:
 * DATABASE_URL / KAFKA_BROKERS when given; else testcontainers when a Docker engine answers;
 * else the local Postgres server and Kafka started by this project's own script.
 */
export async function provideTestInfra(): Promise<TestInfra> {
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = process.env.DATABASE_URL;
  let kafkaBrokers = process.env.KAFKA_BROKERS;
  const docker =
    (!databaseUrl || !kafkaBrokers) && !(await postgresAnswers(DEFAULT_TEST_DATABASE_URL)) ? dockerAnswers() : false;

  if (!databaseUrl) {
    if (docker) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').withDatabase('valley_test').start();
      databaseUrl = container.getConnectionUri();
      stops.push(async () => void (await container.stop()));
    } else {
      databaseUrl = DEFAULT_TEST_DATABASE_URL;
    }
  }
  if (!kafkaBrokers) {
    if (docker) {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
      kafkaBrokers = `${container.getHost()}:${container.getMappedPort(9093)}`;
      stops.push(async () => void (await container.stop()));
    } else {
      if (!localKafkaRunning()) {
        if (localKafka('start') !== 0) throw new Error('could not start the local Kafka (deploy/local/kafka/kafka.sh)');
        stops.push(async () => void localKafka('stop'));
      }
      kafkaBrokers = LOCAL_KAFKA_BROKERS;
    }
  }
  assertTestDatabase(databaseUrl);
  return {
    databaseUrl,
    kafkaBrokers,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
