import { classifyFailure, errorMessage, EventFailedError, InfrastructureError } from './failure-kind';

/** An error as node-postgres makes it: a message and a SQLSTATE code. */
function pgError(code: string, message = 'server said no'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

/** As TypeORM wraps a driver error. */
function queryFailed(driverError: Error): Error {
  return Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });
}

describe('classifyFailure', () => {
  it.each([
    [
      'the server ended the connection (pg_terminate_backend, 57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['the server is starting up (57P03)', pgError('57P03')],
    ['too many connections (53300)', pgError('53300')],
    ['a connection exception (08006)', pgError('08006')],
    ['a serialization failure (40001)', pgError('40001')],
    ['a deadlock (40P01)', pgError('40P01', 'deadlock detected')],
    ['a statement timeout (57014)', pgError('57014')],
    ['a lock not available (55P03)', pgError('55P03')],
    ['an I/O error of the server (58030)', pgError('58030')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['node-postgres losing the connection', new Error('Connection terminated unexpectedly')],
    ['node-postgres timing out a connect', new Error('timeout exceeded when trying to connect')],
    ['TypeORM wrapping a lost connection', queryFailed(pgError('57P01', 'terminating connection'))],
    ['a cause chain ending in a lost connection', new Error('apply failed', { cause: pgError('08003') })],
    ['the broker unreachable', Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' })],
    [
      'a retriable broker answer',
      Object.assign(new Error('NOT_ENOUGH_REPLICAS'), { name: 'KafkaJSProtocolError', retriable: true }),
    ],
    [
      'kafkajs giving up retrying',
      Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded' }),
    ],
    [
      'TypeORM after the server ended the connection mid-transaction',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ],
    ['a condition a service says will pass', new InfrastructureError('search index not loaded yet')],
  ])('%s is the infrastructure’s', (_, error) => {
    expect(classifyFailure(error)).toBe('infrastructure');
  });

  it.each([
    ['a unique violation (23505)', queryFailed(pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a check violation (23514)', pgError('23514')],
    ['text Postgres cannot store (22021)', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'memberId')")],
    ['a message that only mentions a deadlock', new Error('deadlock detected')],
    [
      'a non-retriable broker answer',
      Object.assign(new Error('TOPIC_AUTHORIZATION_FAILED'), { name: 'KafkaJSProtocolError', retriable: false }),
    ],
    ['something that is not an error', 'boom'],
    ['nothing', undefined],
  ])('%s is the event’s', (_, error) => {
    expect(classifyFailure(error)).toBe('event');
  });

  it("lets a service's own codes decide first, either way", () => {
    const stale = Object.assign(new Error('index not ready'), { code: 'INDEX_NOT_READY' });
    const refused = Object.assign(new Error('unknown member', { cause: pgError('57P01') }), { code: 'MEMBER_UNKNOWN' });
    const codes = { INDEX_NOT_READY: 'infrastructure', MEMBER_UNKNOWN: 'event' } as const;

    expect(classifyFailure(stale)).toBe('event');
    expect(classifyFailure(stale, codes)).toBe('infrastructure');
    expect(classifyFailure(refused)).toBe('infrastructure');
    expect(classifyFailure(refused, codes)).toBe('event');
  });

  it('survives a cause chain that loops', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b: Error & { cause?: unknown } = new Error('b', { cause: a });
    a.cause = b;

    expect(classifyFailure(a)).toBe('event');
  });
});

describe('errorMessage', () => {
  it('says `Name: message`, or the message alone with { name: false }; any other value as a string', () => {
    const error = new TypeError('no such thing');
    expect(errorMessage(error)).toBe('TypeError: no such thing');
    expect(errorMessage(error, { name: false })).toBe('no such thing');
    expect(errorMessage('not an Error')).toBe('not an Error');
    expect(errorMessage('not an Error', { name: false })).toBe('not an Error');
    expect(errorMessage(undefined, { name: false })).toBe('undefined');
  });

  it('says what a classification wraps, either way', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(errorMessage(new EventFailedError('classified', { cause }))).toBe(
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(errorMessage(new InfrastructureError('classified', { cause }), { name: false })).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});
