/**
 * Two kinds of failure, classified here once for consumers, relays and HTTP answers alike:
 *
 * - `infrastructure`: the database, the broker or the network failed (a lost or refused
 *   connection, a timeout, a deadlock, a serialization failure, too many connections). It says
 *   nothing about the event or the request: wait it out and try again, for as long as it lasts.
 * - `event`: the event (or request) itself cannot be processed (malformed, invalid, refused by a
 *   domain rule, a bug that fails every time). Retrying a few times changes nothing: after its
 *   tries it goes to the dead-letter topic with the reason.
 */
export type FailureKind = 'infrastructure' | 'event';

/** A service's own error codes (its exception's `code`) and the kind each stands for. */
export type FailureKindsByCode = Readonly<Record<string, FailureKind>>;

/** Thrown by a handler for a condition of its own that will pass (waited out like a lost connection). */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
}

/**
 * An event's own failure, already classified (by a service's error codes, see EventFailureFilter):
 * whatever it wraps, it is not waited out.
 */
export class EventFailedError extends Error {
  override readonly name = 'EventFailedError';
}

/**
 * SQLSTATE classes and codes of Postgres that say the server or the connection failed, or that
 * the transaction lost a race it may win next time; none says anything about the data.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const POSTGRES_TRANSIENT_CLASSES = ['08', '53', '58'];
const POSTGRES_TRANSIENT_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown (pg_terminate_backend, a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57P05', // idle_session_timeout
]);

/** Socket errors of Node: the other end is gone, refuses, or does not answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** What node-postgres and TypeORM say when the connection is lost or cannot be had. */
const CONNECTION_LOST = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error and is not queryable/i,
  /connection is not established/i,
  /driver not connected/i,
  /terminating connection/i,
];

/** kafkajs errors that mean the broker could not be reached or did not answer in time. */
const KAFKAJS_TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
  'KafkaJSNoBrokerAvailableError',
]);

/**
 * TypeORM's errors for a connection that is gone. A connection the server ends between two
 * statements of a transaction (57P01 while idle in it) makes TypeORM release the query runner,
 * and the next statement fails with QueryRunnerAlreadyReleasedError, naming no SQLSTATE.
 */
const TYPEORM_CONNECTION_GONE_NAMES = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  retriable?: unknown;
  cause?: unknown;
  driverError?: unknown;
  originalError?: unknown;
}

/** The error and what it wraps (`cause`, TypeORM's `driverError`, kafkajs's `originalError`). */
function chain(error: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 10) {
    const next = queue.shift();
    if (next === null || typeof next !== 'object' || seen.includes(next as ErrorLike)) continue;
    const e = next as ErrorLike;
    seen.push(e);
    queue.push(e.cause, e.driverError, e.originalError);
  }
  return seen;
}

function isTransient(e: ErrorLike): boolean {
  if (e instanceof InfrastructureError) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^[0-9A-Z]{5}$/.test(code)) {
    if (POSTGRES_TRANSIENT_CODES.has(code) || POSTGRES_TRANSIENT_CLASSES.includes(code.slice(0, 2))) return true;
  }
  if (NETWORK_CODES.has(code)) return true;
  const name = typeof e.name === 'string' ? e.name : '';
  if (KAFKAJS_TRANSIENT_NAMES.has(name)) return true;
  if (name.startsWith('KafkaJS') && e.retriable === true) return true;
  if (TYPEORM_CONNECTION_GONE_NAMES.has(name)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return CONNECTION_LOST.some((pattern) => pattern.test(message));
}

/**
 * Which kind a failure is. A service's own codes decide first (`codes`, keyed by the `code` of
 * its exception); then anything in the error's chain that is the infrastructure's; else the event's.
 */
export function classifyFailure(error: unknown, codes: FailureKindsByCode = {}): FailureKind {
  if (error instanceof InfrastructureError) return 'infrastructure';
  if (error instanceof EventFailedError) return 'event';
  const links = chain(error);
  for (const link of links) {
    if (typeof link.code === 'string' && Object.prototype.hasOwnProperty.call(codes, link.code)) {
      return codes[link.code];
    }
  }
  return links.some(isTransient) ? 'infrastructure' : 'event';
}

/**
 * `Name: message` of an error (or the value), for logs, dead-letter reasons and /health; with
 * `{ name: false }` the message alone (where a stored or shown text has always been the message).
 */
export function errorMessage(error: unknown, options: { name?: boolean } = {}): string {
  // A classification only: say what it classifies.
  if ((error instanceof EventFailedError || error instanceof InfrastructureError) && error.cause !== undefined) {
    return errorMessage(error.cause, options);
  }
  if (!(error instanceof Error)) return String(error);
  return options.name === false ? error.message : `${error.name}: ${error.message}`;
}
