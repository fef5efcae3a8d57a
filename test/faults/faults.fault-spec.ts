import { deadLetterTopic, ServiceName, ServiceNames, Topics } from '@valley/contracts';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Admission, AdmissionLedger, Applied, judge, observe } from './harness/admissions';
import { SEND_CONCURRENCY } from '../../services/notifications/src/deliveries/delivery-sender.service';
import { faultChecker } from './harness/check-fault';
import { FaultRow, formatFaultTable } from './harness/fault-table';
import { ConsumingServices, ValleySystem } from './harness/valley-system';

/**
 * The fault tier: the real system (four service processes, a Kafka broker and a database of this
 * tier's own, a real SMTP server), one fault at a time while admissions flow over HTTP. After each
 * fault, every admission that answered 2xx is in the directory (listed once), counted once by
 * reporting, has one welcome delivery and its email was received once; nothing refused appears;
 * no dead letters; no process exited on its own. Prints a table of every fault at the end.
 */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the system under faults', () => {
  let system: ValleySystem;
  let ledger: AdmissionLedger;
  const rows: FaultRow[] = [];
  const startedAt = performance.now();

  beforeAll(async () => {
    system = await ValleySystem.start({ name: 'fault-suite' });
    ledger = new AdmissionLedger(system);
  }, 240_000);

  afterAll(async () => {
    const minutes = ((performance.now() - startedAt) / 60_000).toFixed(1);
    process.stdout.write(
      '\n' + formatFaultTable(rows, `Fault tier (${minutes} min, logs in ${system?.logDir ?? '.data/faults'}):`),
    );
    await system?.stop();
  }, 120_000);

  // A fault that left a process dead must not take the next ones down with it.
  beforeEach(async () => {
    for (const service of ServiceNames) if (!system.service(service).running) system.service(service).start();
    await Promise.all(ServiceNames.map((service) => system.service(service).waitReady(60_000)));
  }, 90_000);

  const checkFault = faultChecker(
    () => system,
    () => ledger,
    rows,
  );

  it('flows without a fault (baseline)', async () => {
    await checkFault('no fault', async () => {
      await ledger.burst('no fault', 10, { concurrency: 3 });
      return { since: performance.now() };
    });
  }, 120_000);

  /** Something of this burst has been applied by the service: it is consuming now. */
  async function consuming(service: ServiceName, first: Admission): Promise<void> {
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline) {
      const seen = await observe(system).catch(() => null);
      if (seen) {
        if (service === 'directory' && seen.listed.has(first.organisationId!)) return;
        if (service === 'notifications' && seen.welcomes.has(first.email)) return;
        if (service === 'reporting' && judge([], ledger.all, seen).reporting.actual > 0) return;
      }
      await sleep(20);
    }
  }

  // Deliveries the killed sender had claimed wait for its lease (60 s) before another round sends them.
  // Each message in flight at the kill may have been accepted by the SMTP server and not yet marked
  // sent (the crash window): as many may go out again, with the same Message-ID.
  const leaseWait = (service: ServiceName) =>
    service === 'notifications' ? { timeoutMs: 100_000, resent: SEND_CONCURRENCY } : {};

  it.each(ConsumingServices)(
    'kill -9 of %s while it consumes a burst: restarted, it applies every admission once',
    async (service) => {
      const fault = `kill -9 ${service}`;
      await checkFault(
        fault,
        async () => {
          let since = 0;
          let killing: Promise<void> | null = null;
          const membersBefore = (await observe(system)).members;
          await ledger.burst(fault, 24, {
            concurrency: 3,
            pauseMs: 40,
            onAnswered: (admission, index) => {
              if (index !== 5 || killing) return;
              killing = (async () => {
                if (service === 'reporting') {
                  // Reporting counts everyone: "consuming" is a count above the one before the burst.
                  const deadline = performance.now() + 10_000;
                  while ((await observe(system)).members <= membersBefore && performance.now() < deadline)
                    await sleep(20);
                } else {
                  await consuming(service, admission);
                }
                await system.killAndRestart(service);
                since = performance.now();
              })();
            },
          });
          await killing;
          const ready = await system.service(service).waitReady();
          return { since, note: `ready ${(ready / 1000).toFixed(1)} s after its start` };
        },
        leaseWait(service),
      );
    },
    150_000,
  );

  it('kill -9 of membership after answering, before its relay published: the outbox delivers after the restart', async () => {
    const fault = 'kill -9 membership';
    const relayLock = 'membership.outbox_messages:relay';
    await checkFault(
      fault,
      async () => {
        // Applications to admit while membership is down (those admissions are refused).
        const toAdmitWhileDown: Applied[] = [];
        for (let i = 0; i < 3; i++) {
          const applied = await ledger.apply(fault);
          if (!('outcome' in applied)) toAdmitWhileDown.push(applied);
        }
        // Holding the relay's advisory lock keeps every relay round from publishing: the window between
        // answering and publishing stays open for as long as needed, instead of a few milliseconds.
        await system.db.query('SELECT pg_advisory_lock(hashtext($1))', [relayLock]);
        let waiting: number;
        try {
          await ledger.burst(fault, 15, { concurrency: 3 });
          waiting = (
            await system.db.query(
              'SELECT count(*)::int AS n FROM membership.outbox_messages WHERE published_at IS NULL',
            )
          ).rows[0].n;
          await system.service('membership').kill9();
        } finally {
          await system.db.query('SELECT pg_advisory_unlock(hashtext($1))', [relayLock]);
        }
        // Two events per admission (ApplicationSubmitted, MemberAdmitted) answered and not published.
        expect(waiting).toBeGreaterThanOrEqual(2 * 15);
        for (const applied of toAdmitWhileDown) expect((await ledger.admit(applied)).outcome).toBe('refused');
        system.service('membership').start();
        const since = performance.now();
        await system.service('membership').waitReady();
        return { since, note: `${waiting} events unpublished at the kill; 3 admits refused while down` };
      },
      { refused: 3 },
    );
  }, 150_000);

  it('SMTP server down for a while, then back: welcomes delayed, none lost, none twice', async () => {
    const fault = 'SMTP down 6 s';
    await checkFault(fault, async () => {
      await system.smtpDown();
      const downAt = performance.now();
      const admitted = await ledger.burst(fault, 12, { concurrency: 3 });
      await sleep(Math.max(0, 6_000 - (performance.now() - downAt)));
      const emails = new Set(admitted.map((a) => a.email));
      expect(system.smtp.messages.filter((m) => m.to.some((to) => emails.has(to)))).toEqual([]);
      await system.smtpUp();
      return { since: performance.now() };
    });
  }, 150_000);

  it('a malformed message goes to every consumer`s dead letters, an unknown type is skipped, the partition goes on', async () => {
    const fault = 'malformed + unknown type';
    const malformed = '{"eventId": "9d0c3e2a-6b1f-4a57-9a57-0f1d2c3b4a59", "type": "MemberAdmitted", "payload": {';
    let key = '';
    await checkFault(
      fault,
      async () => {
        // The admission's own events go after the two bad messages, on the same partition (same key).
        const applied = await ledger.apply(fault);
        if ('outcome' in applied) throw new Error(`could not apply: ${applied.detail}`);
        key = applied.organisationId;
        const unknownType = {
          eventId: randomUUID(),
          type: 'MemberTeleported',
          schemaVersion: 1,
          occurredAt: new Date().toISOString(),
          aggregateId: key,
          correlationId: randomUUID(),
          causationId: null,
          producer: 'membership',
          payload: { destination: 'Mars' },
        };
        await system.kafka.produce(Topics.MembershipLifecycle, [
          { key, value: malformed },
          { key, value: JSON.stringify(unknownType), headers: { 'x-fault': 'unknown-type' } },
        ]);
        const since = performance.now();
        await ledger.admit(applied);
        await ledger.burst(fault, 2, { concurrency: 1 });
        return { since };
      },
      {
        deadLetters: (before) => ({
          ...before,
          directory: before.directory + 1,
          notifications: before.notifications + 1,
          reporting: before.reporting + 1,
        }),
      },
    );
    for (const service of ConsumingServices) {
      const letters = (await system.kafka.readAll(deadLetterTopic(service), 200)).filter((m) => m.key === key);
      expect(letters).toHaveLength(1);
      expect(letters[0].value).toBe(malformed);
      expect(letters[0].headers['x-dead-letter-reason']).toMatch(/\S/);
      expect(letters[0].headers['x-fault']).toBeUndefined();
    }
  }, 150_000);

  it.each([[['directory']], [['notifications', 'reporting']]] as [ServiceName[]][])(
    'Postgres sessions of %p terminated every few ms for 6 s under load: nothing dead-lettered, no process exits',
    async (services) => {
      const fault = `pg_terminate ${services.join('+')}`;
      await checkFault(fault, async () => {
        let ended = 0;
        await ledger.during(
          fault,
          async () => {
            const until = performance.now() + 6_000;
            while (performance.now() < until) {
              ended += await system.terminateSessions(services);
              await sleep(5);
            }
          },
          { concurrency: 2, pauseMs: 150 },
        );
        return { since: performance.now(), note: `${ended} sessions terminated` };
      });
    },
    150_000,
  );

  it('the Kafka broker stopped and started under load', async () => {
    const fault = 'broker stop/start';
    await checkFault(
      fault,
      async () => {
        let downMs = 0;
        const since = await ledger.during(
          fault,
          async () => {
            const t0 = performance.now();
            await system.broker.stop();
            await sleep(3_000);
            await system.broker.start();
            downMs = performance.now() - t0;
            return performance.now();
          },
          { concurrency: 2, pauseMs: 300, tailMs: 2_000 },
        );
        return { since, note: `broker away ${(downMs / 1000).toFixed(1)} s` };
      },
      { timeoutMs: 90_000 },
    );
  }, 180_000);

  it('over the whole run, every admission is everywhere exactly once', async () => {
    const verdict = judge(ledger.all, ledger.all, await observe(system));
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    // At most the messages the killed sender had in flight, re-sent from its crash window (see leaseWait).
    expect(verdict.resent).toBeLessThanOrEqual(SEND_CONCURRENCY);
    expect(system.unexpectedExits).toEqual([]);
  }, 60_000);
});
