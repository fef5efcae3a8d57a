import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Topics } from '@valley/contracts';
import { coordinatorToken, tokenWithRoles } from '@valley/platform/testing';
import { admitted, ended, eventually, profileUpdated } from '@valley/testing';
import request from 'supertest';
import { DirectoryHarness } from '../../test/directory-harness';

jest.setTimeout(60_000);

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

type Answer = (r: Received) => { status: number; delayMs?: number };

/** A partner's endpoint on this machine: records every request, answers as the test says per path. */
class Receiver {
  readonly requests: Received[] = [];
  private readonly answers = new Map<string, Answer>();
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = {
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.requests.push(received);
        const answer: ReturnType<Answer> = (this.answers.get(received.path) ?? (() => ({ status: 204 })))(received);
        const reply = () => {
          if (!res.destroyed) res.writeHead(answer.status).end();
        };
        if (answer.delayMs) setTimeout(reply, answer.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  answer(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Checks a request as a receiver following Standard Webhooks would, written here apart from the sender's code. */
function verifies(secret: string, r: Received): boolean {
  const id = r.headers['webhook-id'] as string;
  const timestamp = r.headers['webhook-timestamp'] as string;
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${r.body}`)
    .digest('base64');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && (r.headers['webhook-signature'] as string).split(' ').includes(`v1,${expected}`);
}

/**
 * Webhooks against the real Kafka and Postgres and a real HTTP receiver on this machine: members
 * admitted, changed and ended reach the subscriptions that asked, signed, with only what the
 * directory shows anonymously; 500 then 200 is one event in effect (the same webhook-id); a slow
 * receiver holds up no other; a subscription that keeps failing is paused and gets nothing until
 * resumed; the log, a manual retry and a replay since a date.
 */
describe('directory: webhooks for partner sites', () => {
  const harness = new DirectoryHarness();
  const receiver = new Receiver();
  const coordinator = { authorization: `Bearer ${coordinatorToken()}` };
  const api = () => request(harness.http());

  beforeAll(async () => {
    await receiver.start();
    await harness.start({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_RETRY_DELAY_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: '1500',
      WEBHOOK_PAUSE_AFTER_FAILURES: '2',
    });
  });
  afterAll(async () => {
    await harness.stop();
    await receiver.stop();
  });

  async function subscribe(path: string, eventTypes = ['member.joined', 'member.changed', 'member.left']) {
    const secret = newSecret();
    const created = await api()
      .post('/webhooks')
      .set(coordinator)
      .send({ url: receiver.url(path), eventTypes, secret, description: `Partneris ${path}` })
      .expect(201);
    expect(created.body).not.toHaveProperty('secret');
    return { id: created.body.id as string, secret };
  }

  const bodies = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body));
  const member = (name: string) =>
    admitted({
      legalName: `${name} UAB`,
      description: `${name} gamina staklių dalis.`,
      contact: {
        name: `Kontaktas ${name}`,
        email: `${name.toLowerCase()}@example.lt`,
        phone: '+37060000001',
        language: 'lt',
      },
      consent: { publicListing: true, announcements: false, publicContact: false },
      visibility: { statement: 'members' },
      statement: 'Tik nariams skirtas pareiškimas.',
    });

  it('a member who joins, changes in public and leaves is told to the subscription, signed, with only its public profile', async () => {
    const partner = await subscribe('/joined-changed-left');
    const joining = member('Tekinimas');
    const id = joining.payload.memberId;
    await harness.publish(joining);
    await eventually(() => expect(bodies('/joined-changed-left').length).toBe(1));
    const [first] = receiver.at('/joined-changed-left');
    expect(verifies(partner.secret, first)).toBe(true);
    expect(first.headers['webhook-id']).toBe(joining.eventId);
    const body = JSON.parse(first.body);
    expect(body).toMatchObject({ type: 'member.joined', data: { id, legalName: 'Tekinimas UAB', contact: null } });
    // What the directory shows nobody, or members only, does not go out.
    expect(first.body).not.toContain('tekinimas@example.lt');
    expect(first.body).not.toContain('Tik nariams');

    // A change only members see is no news to a partner; a public one is.
    await harness.publish(profileUpdated(id, { statement: 'Kitas pareiškimas nariams.' }, 2));
    const changed = profileUpdated(id, { description: 'Dabar ir frezavimas.' }, 3);
    await harness.publish(changed, ended(id));
    await eventually(() =>
      expect(bodies('/joined-changed-left').map((b) => b.type)).toEqual([
        'member.joined',
        'member.changed',
        'member.left',
      ]),
    );
    const [, second, third] = bodies('/joined-changed-left');
    expect(second.data.description).toBe('Dabar ir frezavimas.');
    expect(third.data).toEqual({ id });
    expect(receiver.at('/joined-changed-left').every((r) => verifies(partner.secret, r))).toBe(true);

    // Only the types asked for.
    const joinsOnly = await subscribe('/joins-only', ['member.joined']);
    const another = member('Frezavimas');
    await harness.publish(another, ended(another.payload.memberId));
    await eventually(() => expect(bodies('/joins-only').map((b) => b.type)).toEqual(['member.joined']));
    const log = (await api().get(`/webhooks/${joinsOnly.id}/deliveries`).set(coordinator).expect(200)).body.items;
    expect(log).toEqual([
      expect.objectContaining({ eventId: another.eventId, type: 'member.joined', status: 'delivered', attempts: 1 }),
    ]);
  });

  it('a receiver that answers 500 and then 200 gets the event again with the same id: once in effect', async () => {
    const partner = await subscribe('/flaky');
    let calls = 0;
    receiver.answer('/flaky', () => ({ status: ++calls === 1 ? 500 : 200 }));
    const joining = member('Liejimas');
    await harness.publish(joining);
    await eventually(async () => {
      const [delivery] = (await api().get(`/webhooks/${partner.id}/deliveries`).set(coordinator).expect(200)).body
        .items;
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    });
    const ids = receiver.at('/flaky').map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([joining.eventId, joining.eventId]);
    expect(new Set(receiver.at('/flaky').map((r) => r.body)).size).toBe(1);
  });

  it('a slow receiver holds up no other subscription', async () => {
    await subscribe('/slow');
    await subscribe('/fast');
    receiver.answer('/slow', () => ({ status: 200, delayMs: 5_000 }));
    const joining = member('Suvirinimas');
    const published = Date.now();
    await harness.publish(joining);
    await eventually(() => expect(receiver.at('/fast').length).toBe(1), 5_000, 20);
    const fast = receiver.at('/fast')[0];
    const slow = receiver.at('/slow')[0];
    expect(slow).toBeDefined();
    // The fast one had its event while the slow one was still being waited for (1.5 s time-out here).
    expect(fast.at - published).toBeLessThan(1_500);
  });

  it('a subscription that keeps failing is paused and gets nothing; resumed and replayed, it gets what it missed', async () => {
    const partner = await subscribe('/down');
    receiver.answer('/down', () => ({ status: 503 }));
    const [a, b] = [member('Pjovimas'), member('Lenkimas')];
    await harness.publish(a, b);
    await eventually(async () => {
      const sub = (await api().get(`/webhooks/${partner.id}`).set(coordinator).expect(200)).body;
      expect(sub).toMatchObject({ status: 'paused', consecutiveFailures: 2 });
      expect(sub.pausedReason).toMatch(/2 deliveries in a row failed; the last: 3 tries, the last: answered 503/);
    }, 20_000);
    // Announced once, for the coordinator's email (notifications), on the directory's own topic.
    const announced = await eventually(async () => {
      const found = (await harness.kafka.readAll(Topics.DirectoryWebhooks, 0))
        .map((m) => JSON.parse(m.value!))
        .filter((e) => e.type === 'WebhookSubscriptionPaused' && e.payload.subscriptionId === partner.id);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(announced.payload).toMatchObject({
      url: receiver.url('/down'),
      failures: 2,
      description: 'Partneris /down',
    });
    const failed = (await api().get(`/webhooks/${partner.id}/deliveries`).set(coordinator).expect(200)).body.items;
    expect(failed.map((d: { status: string; lastStatusCode: number }) => [d.status, d.lastStatusCode])).toEqual([
      ['failed', 503],
      ['failed', 503],
    ]);
    const triedWhileUp = receiver.at('/down').length;
    expect(triedWhileUp).toBe(6);

    // Paused: a new member is not even queued for it.
    receiver.answer('/down', () => ({ status: 200 }));
    const whilePaused = member('Dažymas');
    await harness.publish(whilePaused);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.at('/down').length).toBe(triedWhileUp);

    // Resumed, a failed delivery retried by hand, and everything since before the outage replayed.
    await api().post(`/webhooks/${partner.id}/resume`).set(coordinator).expect(200);
    const retried = await api()
      .post(`/webhooks/${partner.id}/deliveries/${failed[0].id}/retry`)
      .set(coordinator)
      .expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    await eventually(() => expect(receiver.at('/down').length).toBe(triedWhileUp + 1));
    await api().post(`/webhooks/${partner.id}/deliveries/${failed[0].id}/retry`).set(coordinator).expect(409);
    const since = new Date(Date.parse(a.occurredAt) - 1).toISOString();
    const replay = await api().post(`/webhooks/${partner.id}/replay`).set(coordinator).send({ since }).expect(202);
    expect(replay.body.queued).toBeGreaterThanOrEqual(3);
    await eventually(() => {
      const got = new Set(
        receiver
          .at('/down')
          .slice(triedWhileUp)
          .map((r) => r.headers['webhook-id']),
      );
      for (const e of [a, b, whilePaused]) expect(got).toContain(e.eventId);
    });
    expect(receiver.at('/down').every((r) => verifies(partner.secret, r))).toBe(true);
  });

  it('refuses bad subscriptions with a 400 naming the field, and anyone but a coordinator', async () => {
    const refused = async (body: Record<string, unknown>) =>
      (await api().post('/webhooks').set(coordinator).send(body).expect(400)).body.fields.map(
        (f: { field: string }) => f.field,
      );
    const good = { url: receiver.url('/x'), eventTypes: ['member.joined'], secret: newSecret() };
    expect(await refused({ ...good, url: 'ftp://partner.example.lt/hook' })).toEqual(['url']);
    expect(await refused({ ...good, url: 'https://user:pw@partner.example.lt/hook' })).toEqual(['url']);
    expect(await refused({ ...good, eventTypes: ['member.born'] })).toEqual(['eventTypes']);
    expect(await refused({ ...good, eventTypes: [] })).toEqual(['eventTypes']);
    expect(await refused({ ...good, secret: 'password' })).toEqual(['secret']);
    const before = (await api().get('/webhooks').set(coordinator).expect(200)).body.items.length;
    await api().post('/webhooks').send(good).expect(401);
    await api()
      .post('/webhooks')
      .set({ authorization: `Bearer ${tokenWithRoles(['member'])}` })
      .send(good)
      .expect(403);
    expect((await api().get('/webhooks').set(coordinator).expect(200)).body.items.length).toBe(before);
  });

  it('a deleted subscription is gone with its log, and gets nothing more', async () => {
    const partner = await subscribe('/deleted');
    await api().delete(`/webhooks/${partner.id}`).set(coordinator).expect(204);
    await api().get(`/webhooks/${partner.id}`).set(coordinator).expect(404);
    await api().delete(`/webhooks/${partner.id}`).set(coordinator).expect(404);
    await harness.publish(member('Šlifavimas'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.at('/deleted')).toEqual([]);
  });
});
