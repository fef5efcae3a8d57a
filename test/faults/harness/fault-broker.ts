import { runKafkaScript } from './kafka-script';

/**
 * A Kafka broker of the fault harness's own (deploy/local/kafka/kafka.sh on other ports, with its
 * own data directory), which it may stop and start at will: never the broker everyone else uses.
 * Commands run asynchronously, so that load keeps flowing while the broker stops or starts.
 */
export class FaultBroker {
  constructor(
    readonly port: number,
    readonly controllerPort: number,
    readonly dataDir: string,
  ) {}

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Stops a broker left running on this data directory by an earlier run, deletes its data, starts afresh. */
  async startFresh(): Promise<void> {
    await this.run('reset');
    await this.run('start');
  }

  start(): Promise<void> {
    return this.run('start');
  }

  /** SIGTERM (a controlled shutdown), SIGKILL after 30 s. */
  stop(): Promise<void> {
    return this.run('stop');
  }

  /** Stops the broker and deletes its data. */
  remove(): Promise<void> {
    return this.run('reset');
  }

  private run(command: 'start' | 'stop' | 'reset'): Promise<void> {
    return runKafkaScript([command], {
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      KAFKA_DATA_DIR: this.dataDir,
    });
  }
}
