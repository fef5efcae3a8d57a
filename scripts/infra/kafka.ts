import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
const KAFKA_SCRIPT = join(REPO_ROOT, 'deploy', 'local', 'kafka', 'kafka.sh');
export const LOCAL_KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_PORT || 9092}`;

/** Runs deploy/local/kafka/kafka.sh (fetch from Maven Central, start, stop, status). */
export function localKafka(command: 'start' | 'stop' | 'status'): number {
  const result = spawnSync('bash', [KAFKA_SCRIPT, command], { stdio: command === 'status' ? 'ignore' : 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function localKafkaRunning(): boolean {
  return localKafka('status') === 0;
}

/** The local three-broker cluster's bootstrap list (deploy/local/kafka/kafka-cluster.sh's default ports). */
export const LOCAL_KAFKA_CLUSTER_BROKERS = '127.0.0.1:9192,127.0.0.1:9193,127.0.0.1:9194';

/** Runs `kafka.sh cluster <command>`: three controllers and three brokers on this machine. */
export function localKafkaCluster(command: 'start' | 'stop' | 'status'): number {
  const result = spawnSync('bash', [KAFKA_SCRIPT, 'cluster', command], {
    stdio: command === 'status' ? 'ignore' : 'inherit',
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}
