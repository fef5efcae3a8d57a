import type { ISocketFactory } from 'kafkajs';
import net from 'node:net';

/** Kafka's Produce request: the api key, the int16 after a request's int32 size. */
const PRODUCE_API_KEY = 0;

/**
 * The network between a kafkajs client and real brokers: a TCP proxy per broker, reached through
 * kafkajs's `socketFactory`, with two faults a test can switch on:
 *
 * - `loseNextProduceResponse()`: the next Produce request reaches the broker (which writes it), and
 *   the connection is cut before the answer gets back: the client cannot know the batch was written;
 * - `down()` / `up()`: every connection is cut and new ones are closed at once, as when the broker is away.
 *
 * Reads a request's api key from the start of a chunk: kafkajs writes one request per write, and
 * a test's small requests arrive whole.
 */
export class FaultyBrokerNetwork {
  private isDown = false;
  private losingProduceResponse = false;
  private downAfterLoss = false;
  private readonly proxies = new Map<string, { server: net.Server; port: number }>();
  private readonly open = new Set<net.Socket>();
  /** Produce requests that reached the broker and whose answer was lost. */
  lostResponses = 0;

  /** Proxies for these brokers (`host:port`, as the cluster advertises them). */
  static async start(brokers: string[]): Promise<FaultyBrokerNetwork> {
    const network = new FaultyBrokerNetwork();
    for (const broker of brokers) {
      const [host, port] = broker.split(':');
      const server = net.createServer((client) => network.relay(client, host, Number(port)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      network.proxies.set(broker, { server, port: (server.address() as net.AddressInfo).port });
    }
    return network;
  }

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const proxy = this.proxies.get(`${host}:${port}`);
    if (!proxy) throw new Error(`FaultyBrokerNetwork has no proxy for ${host}:${port}`);
    return net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
  };

  /** `thenDown`: the network goes down as the answer is lost, as when the broker stops mid-request. */
  loseNextProduceResponse(options: { thenDown?: boolean } = {}): void {
    this.losingProduceResponse = true;
    this.downAfterLoss = options.thenDown ?? false;
  }

  down(): void {
    this.isDown = true;
    for (const socket of this.open) socket.destroy();
  }

  up(): void {
    this.isDown = false;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await Promise.all([...this.proxies.values()].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  }

  private relay(client: net.Socket, host: string, port: number): void {
    if (this.isDown) {
      client.destroy();
      return;
    }
    const broker = net.connect({ host, port });
    const cut = () => {
      client.destroy();
      broker.destroy();
    };
    for (const socket of [client, broker]) {
      this.open.add(socket);
      socket.on('close', () => {
        this.open.delete(socket);
        cut();
      });
      socket.on('error', () => undefined);
    }
    let answerLost = false;
    client.on('data', (chunk: Buffer) => {
      if (this.losingProduceResponse && chunk.length >= 6 && chunk.readInt16BE(4) === PRODUCE_API_KEY) {
        this.losingProduceResponse = false;
        answerLost = true;
      }
      broker.write(chunk);
    });
    broker.on('data', (chunk: Buffer) => {
      if (!answerLost) {
        client.write(chunk);
        return;
      }
      this.lostResponses += 1;
      cut();
      if (this.downAfterLoss) this.down();
    });
  }
}
