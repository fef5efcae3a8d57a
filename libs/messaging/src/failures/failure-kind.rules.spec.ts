import { classifyFailure, errorMessage, EventFailedError, InfrastructureError } from './failure-kind';

/**
 * Every code and name classifyFailure knows, one by one, and the edges of reading an error's chain
 * (beside failure-kind.spec.ts, which covers the cases as they happen).
 */
const coded = (code: unknown, message = 'server said no') => Object.assign(new Error(message), { code });
const named = (name: unknown, extra: object = {}) => Object.assign(new Error('it failed'), { name, ...extra });

describe('classifyFailure, code by code', () => {
  it.each(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '57P05', '08000', '53100', '58000'])(
    'the Postgres code %s is the infrastructure’s',
    (code) => expect(classifyFailure(coded(code))).toBe('infrastructure'),
  );

  it.each(['23505', '22P02', '42P01', '57P04', '40002', '0800000', '08006Z', '8006', 'X0800'])(
    'the code %s is not',
    (code) => expect(classifyFailure(coded(code))).toBe('event'),
  );

  it.each([
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
  ])('the socket error %s is the infrastructure’s', (code) =>
    expect(classifyFailure(coded(code))).toBe('infrastructure'),
  );

  it.each([
    'KafkaJSConnectionError',
    'KafkaJSConnectionClosedError',
    'KafkaJSRequestTimeoutError',
    'KafkaJSNumberOfRetriesExceeded',
    'KafkaJSBrokerNotFound',
    'KafkaJSLockTimeout',
    'KafkaJSTimeout',
    'KafkaJSNoBrokerAvailableError',
    'CannotExecuteNotConnectedError',
    'ConnectionIsNotSetError',
    'QueryRunnerAlreadyReleasedError',
    'QueryRunnerProviderAlreadyReleasedError',
  ])('the error named %s is the infrastructure’s', (name) =>
    expect(classifyFailure(named(name))).toBe('infrastructure'),
  );

  it('a retriable error is the infrastructure’s only when kafkajs says so', () => {
    expect(classifyFailure(named('KafkaJSProtocolError', { retriable: true }))).toBe('infrastructure');
    expect(classifyFailure(named('KafkaJSProtocolError', { retriable: false }))).toBe('event');
    expect(classifyFailure(named('SomethingElse', { retriable: true }))).toBe('event');
  });

  it('a code, name or message that is no string says nothing, and does not break the classification', () => {
    expect(classifyFailure(coded(40001))).toBe('event');
    expect(classifyFailure({ name: 5, code: null, message: ['connection terminated'] })).toBe('event');
    expect(classifyFailure(named(undefined))).toBe('event');
  });

  it('EventFailedError is the event’s, whatever it wraps', () => {
    const error = new EventFailedError('refused by the projection', { cause: coded('57P01') });
    expect(error.name).toBe('EventFailedError');
    expect(classifyFailure(error)).toBe('event');
  });

  it('an InfrastructureError is waited out wherever it is in the chain, and before a service’s own codes', () => {
    expect(classifyFailure(new Error('apply failed', { cause: new InfrastructureError('index rebuilding') }))).toBe(
      'infrastructure',
    );
    const busy = Object.assign(new InfrastructureError('index busy'), { code: 'INDEX_BUSY' });
    expect(classifyFailure(busy, { INDEX_BUSY: 'event' })).toBe('infrastructure');
  });

  it('InfrastructureError says what it is', () => {
    const error = new InfrastructureError('the index is rebuilding');
    expect(error.name).toBe('InfrastructureError');
    expect(classifyFailure(error)).toBe('infrastructure');
    expect(errorMessage(error)).toBe('InfrastructureError: the index is rebuilding');
  });
});

describe('classifyFailure, the chain', () => {
  /** `depth` wrappers around `inner`, each the cause of the one before. */
  const wrapped = (inner: unknown, depth: number): unknown =>
    depth === 0 ? inner : new Error(`wrapper ${depth}`, { cause: wrapped(inner, depth - 1) });

  it('reads ten errors of a chain, not more', () => {
    const lost = coded('57P01');
    expect(classifyFailure(wrapped(lost, 9))).toBe('infrastructure'); // the 10th error
    expect(classifyFailure(wrapped(lost, 10))).toBe('event'); // the 11th is not read
  });

  it('skips what is not an error, and stops at a cycle', () => {
    const a = new Error('a', { cause: 'just a string' }) as Error & { driverError?: unknown };
    const b = new Error('b', { cause: a });
    a.driverError = b;
    expect(classifyFailure(b)).toBe('event');
    expect(classifyFailure(null)).toBe('event');
    expect(classifyFailure('terminating connection')).toBe('event');
    expect(classifyFailure(Object.assign(new Error('outer'), { originalError: coded('ECONNRESET') }))).toBe(
      'infrastructure',
    );
  });

  it('a service’s own code decides before anything in the chain, wherever it is', () => {
    const refused = Object.assign(new Error('not allowed'), { code: 'MEMBER_NOT_FOUND' });
    const codes = { MEMBER_NOT_FOUND: 'infrastructure', INDEX_BUSY: 'event' } as const;
    expect(classifyFailure(new Error('outer', { cause: refused }), codes)).toBe('infrastructure');
    expect(classifyFailure(coded('INDEX_BUSY', 'terminating connection'), codes)).toBe('event');
    expect(classifyFailure(coded('toString'), codes)).toBe('event'); // only own keys of the map count
  });
});
