import { randomLithuanianCompanyCode } from '@valley/contracts';
import { applicationBody } from '@valley/testing';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ValleySystem } from './valley-system';

/**
 * What an admission's answer says about it:
 * - `admitted`: 2xx, so it must reach every read model exactly once;
 * - `refused`: a 4xx, or the connection was refused (the request never reached a server), so
 *   nothing of it may appear anywhere;
 * - `unknown`: a 5xx, a reset or a time-out: it may or may not have committed, so it may appear,
 *   but at most once.
 */
export type AdmissionOutcome = 'admitted' | 'refused' | 'unknown';

export interface Admission {
  fault: string;
  seq: number;
  legalName: string;
  email: string;
  applicationId: string | null;
  organisationId: string | null;
  outcome: AdmissionOutcome;
  detail: string;
}

/** An application submitted (201) and not yet decided. */
export interface Applied {
  fault: string;
  seq: number;
  legalName: string;
  email: string;
  applicationId: string;
  organisationId: string;
}

type Answer = { status: number; body: Record<string, unknown> } | { failure: string; refused: boolean };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function post(url: string, body: unknown, token?: string): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      failure: error instanceof Error ? `${error.name}: ${error.message} ${cause?.code ?? ''}` : String(error),
      refused: cause?.code === 'ECONNREFUSED',
    };
  }
}

/** Every admission the harness tried, in order, with what its answer said. */
export class AdmissionLedger {
  readonly all: Admission[] = [];
  private seq = 0;
  /**
   * The registration codes applied with so far: each application gets one of its own. Random codes
   * (10 million of them) meet again in a run of hundreds once in about a hundred runs, and the
   * second application is then refused (409) as the organisation it seems to be.
   */
  private readonly codes = new Set<string>();

  private uniqueRegistrationCode(): string {
    let code = randomLithuanianCompanyCode();
    while (this.codes.has(code)) code = randomLithuanianCompanyCode();
    this.codes.add(code);
    return code;
  }

  constructor(private readonly system: ValleySystem) {}

  /** Submits an application (public endpoint) with a unique name and contact address. */
  async apply(fault: string): Promise<Applied | Admission> {
    const seq = ++this.seq;
    const tag = randomUUID().slice(0, 8);
    const slug = fault
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const legalName = `Gedimai ${slug} ${seq} ${tag} UAB`;
    const email = `${slug}-${seq}-${tag}@faults.example`;
    const body = applicationBody({
      legalName,
      registrationCode: this.uniqueRegistrationCode(),
      contact: { name: 'Ona Onaitė', email, language: 'lt' },
      // No announcements: each admission then mails three people, not every member so far.
      consent: { publicListing: true, announcements: false },
    });
    // Membership's instances in turn: with two, both write outboxes and relays at once.
    const answer = await post(this.system.pick('membership').url('/applications'), body);
    if ('status' in answer && answer.status === 201) {
      return {
        fault,
        seq,
        legalName,
        email,
        applicationId: String(answer.body.id),
        organisationId: String(answer.body.organisationId),
      };
    }
    // Without an application there is nothing to admit: whatever happened, no member can appear.
    const admission: Admission = {
      fault,
      seq,
      legalName,
      email,
      applicationId: null,
      organisationId: null,
      outcome: 'refused',
      detail: `apply: ${'status' in answer ? `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}` : answer.failure}`,
    };
    this.all.push(admission);
    return admission;
  }

  /** The coordinator admits a submitted application. */
  async admit(applied: Applied, fault = applied.fault): Promise<Admission> {
    const answer = await post(
      this.system.pick('membership').url(`/applications/${applied.applicationId}/admit`),
      {},
      this.system.coordinatorToken,
    );
    let outcome: AdmissionOutcome;
    let detail: string;
    if ('status' in answer) {
      outcome = answer.status >= 200 && answer.status < 300 ? 'admitted' : answer.status < 500 ? 'refused' : 'unknown';
      detail = `admit: ${answer.status}`;
      if (outcome !== 'admitted') detail += ` ${JSON.stringify(answer.body).slice(0, 200)}`;
    } else {
      outcome = answer.refused ? 'refused' : 'unknown';
      detail = `admit: ${answer.failure}`;
    }
    const admission: Admission = { ...applied, fault, outcome, detail };
    this.all.push(admission);
    return admission;
  }

  async admitNew(fault: string): Promise<Admission> {
    const applied = await this.apply(fault);
    return 'outcome' in applied ? applied : this.admit(applied);
  }

  /**
   * `count` admissions, `concurrency` at a time, each worker pausing `pauseMs` between its own;
   * `onAnswered` hears each one as soon as it is answered (a scenario times its fault on them).
   */
  async burst(
    fault: string,
    count: number,
    options: {
      concurrency?: number;
      pauseMs?: number;
      onAnswered?: (admission: Admission, index: number) => void;
    } = {},
  ): Promise<Admission[]> {
    const results: Admission[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const admission = await this.admitNew(fault);
        results.push(admission);
        options.onAnswered?.(admission, index);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, count) }, worker));
    return results;
  }

  /**
   * Admissions, `concurrency` at a time, for as long as `fault` runs and `tailMs` after it; resolves
   * with what `fault` resolved to once the load has stopped too.
   */
  async during<T>(
    name: string,
    fault: () => Promise<T>,
    options: { concurrency?: number; pauseMs?: number; leadMs?: number; tailMs?: number } = {},
  ): Promise<T> {
    let stop = false;
    const worker = async () => {
      while (!stop) {
        await this.admitNew(name);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    };
    const load = Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
    try {
      await sleep(options.leadMs ?? 500);
      const result = await fault();
      await sleep(options.tailMs ?? 1_000);
      return result;
    } finally {
      stop = true;
      await load;
    }
  }

  of(fault: string): Admission[] {
    return this.all.filter((a) => a.fault === fault);
  }
}

/** What the read models and the SMTP server show at one moment. */
export interface Observation {
  /** Directory listing: how many times each member id is listed. */
  listed: Map<string, number>;
  /** Reporting: members today. */
  members: number;
  /** Notifications: the welcome deliveries to each address. */
  welcomes: Map<string, { id: string; status: string }[]>;
  /** SMTP server: the Message-IDs received for each welcome delivery id (repeated if received twice). */
  received: Map<string, number>;
}

export interface Verdict {
  admitted: number;
  /** Admitted, and in the directory, and its welcome delivery sent, and the email received. */
  delivered: number;
  /** Admissions (of any outcome) seen more than once somewhere, plus reporting's surplus. */
  duplicated: number;
  /** Admitted and missing somewhere (reporting's shortfall counts too). */
  lost: number;
  /** Answered with a refusal (nothing may appear) or with no clear answer (may appear once). */
  refused: number;
  unknown: number;
  /** Welcome emails the SMTP server received again with the same Message-ID (the documented crash window). */
  resent: number;
  reporting: { expected: number; actual: number };
  problems: string[];
}

async function getJson(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  // undici says only "fetch failed": name what did not answer, and why.
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(5_000),
  }).catch((error: Error & { cause?: { message?: string } }) => {
    throw new Error(`${url}: ${error.message}${error.cause?.message ? ` (${error.cause.message})` : ''}`);
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: { text } };
  }
}

/**
 * Reads every read model, page by page, from the first instance of each service (the directory's
 * from `directory` when given). Throws if a service does not answer.
 */
export async function observe(system: ValleySystem, directory = system.service('directory')): Promise<Observation> {
  const listed = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ sort: 'name', limit: '100', facets: 'false', ...(cursor ? { cursor } : {}) });
    const page = await getJson(directory.url(`/members?${query}`));
    if (page.status !== 200) throw new Error(`directory GET /members: ${page.status}`);
    for (const item of page.body.items as { id: string }[]) listed.set(item.id, (listed.get(item.id) ?? 0) + 1);
    cursor = (page.body.nextCursor as string | null) ?? null;
  } while (cursor);

  const count = await getJson(system.service('reporting').url('/reports/member-count'), system.coordinatorToken);
  if (count.status !== 200) throw new Error(`reporting GET /reports/member-count: ${count.status}`);

  const welcomes = new Map<string, { id: string; status: string }[]>();
  cursor = null;
  do {
    const query = new URLSearchParams({ event: 'MemberAdmitted', limit: '200', ...(cursor ? { cursor } : {}) });
    const page = await getJson(system.service('notifications').url(`/deliveries?${query}`), system.coordinatorToken);
    if (page.status !== 200) throw new Error(`notifications GET /deliveries: ${page.status}`);
    for (const d of page.body.items as { id: string; recipient: string; template: string; status: string }[]) {
      if (d.template !== 'welcome') continue;
      welcomes.set(d.recipient, [...(welcomes.get(d.recipient) ?? []), { id: d.id, status: d.status }]);
    }
    cursor = (page.body.nextCursor as string | null) ?? null;
  } while (cursor);

  const received = new Map<string, number>();
  for (const message of system.smtp.messages) {
    const id = /^<?([0-9a-f-]{36})@valley>?$/.exec(message.messageId)?.[1];
    if (id) received.set(id, (received.get(id) ?? 0) + 1);
  }
  return { listed, members: count.body.members as number, welcomes, received };
}

/**
 * Judges `admissions` (one fault's) against an observation; `ledger` (every admission so far)
 * sets what reporting must count, since it counts all members.
 */
export function judge(admissions: Admission[], ledger: Admission[], seen: Observation): Verdict {
  const problems: string[] = [];
  const verdict: Verdict = {
    admitted: 0,
    delivered: 0,
    duplicated: 0,
    lost: 0,
    refused: 0,
    unknown: 0,
    resent: 0,
    reporting: { expected: 0, actual: seen.members },
    problems,
  };
  const landed = (a: Admission) => a.organisationId !== null && (seen.listed.get(a.organisationId) ?? 0) > 0;
  verdict.reporting.expected = ledger.filter(
    (a) => a.outcome === 'admitted' || (a.outcome === 'unknown' && landed(a)),
  ).length;

  for (const a of admissions) {
    const listed = a.organisationId ? (seen.listed.get(a.organisationId) ?? 0) : 0;
    const welcomes = seen.welcomes.get(a.email) ?? [];
    const receipts = welcomes.map((w) => seen.received.get(w.id) ?? 0);
    const receivedDistinct = receipts.filter((n) => n > 0).length;
    const resent = receipts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    verdict.resent += resent;
    const twice = listed > 1 || welcomes.length > 1 || receivedDistinct > 1;
    const label = `${a.fault} #${a.seq} (${a.outcome}, ${a.detail})`;
    if (twice) {
      verdict.duplicated++;
      problems.push(`${label}: listed ${listed}×, ${welcomes.length} welcome deliveries, ${receivedDistinct} received`);
    }
    if (a.outcome === 'admitted') {
      verdict.admitted++;
      const reached = listed > 0 && welcomes.some((w) => w.status === 'sent') && receivedDistinct > 0;
      if (reached) verdict.delivered++;
      else {
        verdict.lost++;
        problems.push(
          `${label}: listed ${listed}×, welcome ${welcomes.map((w) => w.status).join('/') || 'none'}, received ${receivedDistinct}`,
        );
      }
    } else {
      verdict[a.outcome]++;
      if (a.outcome === 'refused' && (listed > 0 || welcomes.length > 0)) {
        verdict.duplicated++;
        problems.push(`${label}: refused, yet listed ${listed}×, ${welcomes.length} welcome deliveries`);
      }
    }
  }
  const { expected, actual } = verdict.reporting;
  if (actual !== expected) problems.push(`reporting counts ${actual} members, expected ${expected}`);
  if (actual > expected) verdict.duplicated += actual - expected;
  if (actual < expected) verdict.lost = Math.max(verdict.lost, expected - actual);
  return verdict;
}

export interface Convergence {
  verdict: Verdict;
  /** From `since` until the first observation where everything had arrived (null: it never did). */
  recoveryMs: number | null;
  notReady: string | null;
}

/**
 * Observes until every admission of `admissions` has arrived everywhere (and every service is
 * ready) or `timeoutMs` has passed, then looks once more after `settleMs` for late duplicates.
 */
export async function awaitConvergence(
  system: ValleySystem,
  ledger: AdmissionLedger,
  admissions: Admission[],
  options: { since: number; timeoutMs?: number; settleMs?: number },
): Promise<Convergence> {
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  let recoveryMs: number | null = null;
  let verdict: Verdict | null = null;
  let notReady: string | null = 'not checked';
  let lastError = '';
  while (performance.now() < deadline) {
    try {
      verdict = judge(admissions, ledger.all, await observe(system));
      notReady = await system.notReady();
      if (verdict.problems.length === 0 && notReady === null) {
        recoveryMs = performance.now() - options.since;
        break;
      }
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  await sleep(options.settleMs ?? 1_000);
  try {
    verdict = judge(admissions, ledger.all, await observe(system));
    notReady = await system.notReady();
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
  }
  if (!verdict) {
    const exits = system.unexpectedExits.map((exit) => JSON.stringify(exit)).join('; ') || 'none';
    throw new Error(`no observation succeeded: ${lastError}; processes that exited unasked: ${exits}`);
  }
  if (recoveryMs === null && lastError) verdict.problems.push(`last observation error: ${lastError}`);
  return { verdict, recoveryMs, notReady };
}

/** The directory's public profile of each id: 200 for members, 404 for what never became one. */
export async function profileStatuses(system: ValleySystem, ids: string[]): Promise<Map<string, number>> {
  const statuses = new Map<string, number>();
  for (const id of ids) {
    const response = await fetch(system.service('directory').url(`/members/${id}`), {
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    statuses.set(id, response.status);
  }
  return statuses;
}
