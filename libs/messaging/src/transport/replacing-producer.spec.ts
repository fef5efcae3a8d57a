import pino from 'pino';
import { classifyFailure } from '../failures/failure-kind';
import { OutgoingMessage } from './message-transport';
import { ProducerClient, ProducerSendTimeoutError, ReplacingProducer } from './replacing-producer';

type Behaviour = 'ok' | 'fail' | 'hang';

/** Clients that each play what the test says; every send and disconnect is recorded per client. */
class ScriptedClients {
  readonly made: { id: number; sent: string[][]; disconnected: boolean }[] = [];
  /** What the next sends do, whichever client makes them; 'ok' once the script is used up. */
  readonly script: Behaviour[] = [];
  connectFailures = 0;

  connect = async (): Promise<ProducerClient> => {
    if (this.connectFailures > 0) {
      this.connectFailures -= 1;
      throw new Error('connect ECONNREFUSED');
    }
    const record = { id: this.made.length + 1, sent: [] as string[][], disconnected: false };
    this.made.push(record);
    return {
      send: async (messages: OutgoingMessage[]) => {
        const behaviour = this.script.shift() ?? 'ok';
        if (behaviour === 'hang') return new Promise<void>(() => undefined);
        if (behaviour === 'fail') throw new Error('The broker received an out of order sequence number');
        record.sent.push(messages.map((m) => String(m.value)));
      },
      disconnect: async () => void (record.disconnected = true),
    };
  };
}

const logger = pino({ level: 'silent' });
const message = (value: string): OutgoingMessage => ({ topic: 't', key: 'k', value });

describe('ReplacingProducer', () => {
  it('keeps one client while sends succeed', async () => {
    const clients = new ScriptedClients();
    const producer = await ReplacingProducer.connect({ connect: clients.connect, sendTimeoutMs: 1_000, logger });
    await producer.send([message('a')]);
    await producer.send([message('b')]);
    expect(clients.made.map((c) => c.sent)).toEqual([[['a'], ['b']]]);
    expect(producer.replacements).toBe(0);
  });

  it('sends the next batch through a new client after a failed send, and disconnects the old one', async () => {
    const clients = new ScriptedClients();
    clients.script.push('fail');
    const producer = await ReplacingProducer.connect({ connect: clients.connect, sendTimeoutMs: 1_000, logger });
    await expect(producer.send([message('a')])).rejects.toThrow('out of order sequence');
    await producer.send([message('a'), message('b')]);
    expect(clients.made.map((c) => ({ sent: c.sent, disconnected: c.disconnected }))).toEqual([
      { sent: [], disconnected: true },
      { sent: [['a', 'b']], disconnected: false },
    ]);
    expect(producer.replacements).toBe(1);
  });

  it('fails a send that does not settle in time, as the infrastructure, and replaces its client', async () => {
    const clients = new ScriptedClients();
    clients.script.push('hang');
    const producer = await ReplacingProducer.connect({ connect: clients.connect, sendTimeoutMs: 50, logger });
    const hung = producer.send([message('a')]);
    await expect(hung).rejects.toBeInstanceOf(ProducerSendTimeoutError);
    expect(classifyFailure(await hung.catch((error: unknown) => error))).toBe('infrastructure');
    await producer.send([message('a')]);
    expect(clients.made.map((c) => c.sent)).toEqual([[], [['a']]]);
  });

  it('tries to connect again on the next send while a new client cannot connect', async () => {
    const clients = new ScriptedClients();
    clients.script.push('fail');
    const producer = await ReplacingProducer.connect({ connect: clients.connect, sendTimeoutMs: 1_000, logger });
    await expect(producer.send([message('a')])).rejects.toThrow();
    clients.connectFailures = 2;
    await expect(producer.send([message('a')])).rejects.toThrow('ECONNREFUSED');
    await expect(producer.send([message('a')])).rejects.toThrow('ECONNREFUSED');
    await producer.send([message('a')]);
    expect(clients.made.map((c) => c.sent)).toEqual([[], [['a']]]);
  });

  it('sends one batch at a time, in the order of the calls', async () => {
    const clients = new ScriptedClients();
    clients.script.push('fail', 'ok', 'ok');
    const producer = await ReplacingProducer.connect({ connect: clients.connect, sendTimeoutMs: 1_000, logger });
    const results = await Promise.allSettled([
      producer.send([message('1')]),
      producer.send([message('2')]),
      producer.send([message('3')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(clients.made.map((c) => c.sent)).toEqual([[], [['2'], ['3']]]);
  });

  it('refuses sends after disconnect, and disconnects its client once the send in flight is done', async () => {
    const clients = new ScriptedClients();
    const producer = await ReplacingProducer.connect({ connect: clients.connect, sendTimeoutMs: 1_000, logger });
    const inFlight = producer.send([message('a')]);
    await producer.disconnect();
    await inFlight;
    expect(clients.made).toEqual([{ id: 1, sent: [['a']], disconnected: true }]);
    await expect(producer.send([message('b')])).rejects.toThrow('disconnected');
  });
});
