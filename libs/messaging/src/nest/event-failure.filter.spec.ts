import { ArgumentsHost } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { PermanentEventError } from '../consumer/retry-policy';
import { classifyFailure, errorMessage, EventFailedError, InfrastructureError } from '../failures/failure-kind';
import { EventFailureFilter } from './event-failure.filter';

const host = {} as ArgumentsHost;
const thrown = async (filter: EventFailureFilter, error: unknown) =>
  lastValueFrom(filter.catch(error, host)).then(
    () => undefined,
    (e: unknown) => e,
  );

describe('EventFailureFilter', () => {
  const terminated = () => Object.assign(new Error('terminating connection'), { code: '57P01' });

  it('turns a lost connection into an InfrastructureError that keeps its cause and says what it was', async () => {
    const cause = terminated();
    const error = await thrown(new EventFailureFilter(), cause);

    expect(error).toBeInstanceOf(InfrastructureError);
    expect((error as Error).cause).toBe(cause);
    expect(errorMessage(error)).toBe('Error: terminating connection');
  });

  it("decides by the service's own codes first, and the processor keeps that decision", async () => {
    const filter = new EventFailureFilter({ MEMBER_UNKNOWN: 'event', INDEX_NOT_READY: 'infrastructure' });
    const refused = Object.assign(new Error('unknown member', { cause: terminated() }), { code: 'MEMBER_UNKNOWN' });
    const notReady = Object.assign(new Error('index not ready'), { code: 'INDEX_NOT_READY' });

    const [a, b] = [await thrown(filter, refused), await thrown(filter, notReady)];
    expect(a).toBeInstanceOf(EventFailedError);
    expect(classifyFailure(a)).toBe('event');
    expect(b).toBeInstanceOf(InfrastructureError);
    expect(classifyFailure(b)).toBe('infrastructure');
  });

  it('passes a PermanentEventError through, so that it is dead-lettered at once', async () => {
    const permanent = new PermanentEventError('never an applicant');
    expect(await thrown(new EventFailureFilter(), permanent)).toBe(permanent);
  });

  it('says what a thrown non-error was', async () => {
    const error = await thrown(new EventFailureFilter(), { status: 'odd' });
    expect(error).toBeInstanceOf(EventFailedError);
    expect(errorMessage(error)).toBe('[object Object]');
  });
});
