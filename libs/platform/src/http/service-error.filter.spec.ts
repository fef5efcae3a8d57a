import { ArgumentsHost, HttpServer, NotFoundException } from '@nestjs/common';
import { ServiceErrorFilter } from './service-error.filter';

/** The parts of an HTTP adapter the filter talks to, recording what it answered. */
function fakeAdapter() {
  const answered: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const adapter = {
    setHeader: (_res: unknown, name: string, value: string) => (answered.headers[name] = value),
    reply: (_res: unknown, body: unknown, status?: number) => Object.assign(answered, { body, status }),
    isHeadersSent: () => false,
    end: () => undefined,
  } as unknown as HttpServer;
  return { adapter, answered };
}

const host = { switchToHttp: () => ({ getResponse: () => ({}), getRequest: () => ({}) }), getArgByIndex: () => ({}) };

describe('ServiceErrorFilter', () => {
  it('answers a failure of the database with 503 and Retry-After, saying nothing changed', () => {
    const { adapter, answered } = fakeAdapter();
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

    new ServiceErrorFilter(adapter).catch(lost, host as unknown as ArgumentsHost);

    expect(answered.status).toBe(503);
    expect(answered.headers['Retry-After']).toBe('5');
    expect(answered.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect((answered.body as { message: string }).message).toMatch(/nothing was changed, try again in 5 s/);
  });

  it('leaves HTTP errors their own status', () => {
    const { adapter, answered } = fakeAdapter();

    new ServiceErrorFilter(adapter).catch(new NotFoundException('no such member'), host as unknown as ArgumentsHost);

    expect(answered.status).toBe(404);
  });

  it('answers a bug with 500, as a fault of ours', () => {
    const { adapter, answered } = fakeAdapter();
    jest.spyOn(console, 'error').mockImplementation(() => undefined);

    new ServiceErrorFilter(adapter).catch(new TypeError('x is undefined'), host as unknown as ArgumentsHost);

    expect(answered.status).toBe(500);
  });
});
