import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Kafka 4 removed old protocol versions (KIP-896). The smoke script exercises every call our
 * services rely on (admin calls, idempotent produce, group consume with eachBatch, commits,
 * offsets fetch, a rebalance) against the broker the tests use, whichever version that is.
 */
describe('kafkajs against the pinned Kafka', () => {
  it('passes every check of deploy/local/kafka/kafkajs-smoke.cjs', () => {
    const broker = process.env.VALLEY_TEST_KAFKA_BROKERS!.split(',')[0];
    const result = spawnSync(
      process.execPath,
      [join(__dirname, '../../deploy/local/kafka/kafkajs-smoke.cjs'), broker],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(result.stderr + result.stdout).not.toMatch(/FAIL/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/passed, 0 failed/);
  }, 150_000);
});
