import { runKafkaScript } from './kafka-script';

/**
 * A three-controller, three-broker KRaft cluster of the harness's own (`kafka.sh cluster`, on
 * other ports, with its own data directory): brokers may be killed and started at will. Never the
 * development cluster of `npm run kafka -- cluster`.
 */
export class FaultCluster {
  constructor(
    /** Client ports of brokers 1-3. */
    readonly brokerPorts: [number, number, number],
    /** Ports of controllers 1-3. */
    readonly controllerPorts: [number, number, number],
    readonly dataDir: string,
  ) {}

  get bootstrap(): string {
    return this.brokerPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** Stops a cluster left running on this data directory by an earlier run, deletes its data, starts afresh. */
  async startFresh(): Promise<void> {
    await this.run('reset');
    await this.run('start');
  }

  /** kill -9 of broker `n` (1-3). */
  killBroker(n: 1 | 2 | 3): Promise<void> {
    return this.run('kill', String(n));
  }

  /** Starts broker `n` again; resolves once the cluster lists it. */
  startBroker(n: 1 | 2 | 3): Promise<void> {
    return this.run('start-broker', String(n));
  }

  /** Stops every node and deletes the data. */
  remove(): Promise<void> {
    return this.run('reset');
  }

  private run(...args: string[]): Promise<void> {
    return runKafkaScript(['cluster', ...args], {
      KAFKA_CLUSTER_BROKER_PORTS: this.brokerPorts.join(' '),
      KAFKA_CLUSTER_CONTROLLER_PORTS: this.controllerPorts.join(' '),
      KAFKA_CLUSTER_DATA_DIR: this.dataDir,
    });
  }
}
