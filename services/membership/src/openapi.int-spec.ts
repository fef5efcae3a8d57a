import { uniqueTopicPrefix } from '@valley/testing';
import { MembershipHarness, startMembership } from '../test/membership-test-kit';

type Operation = { responses: Record<string, { description?: string; content?: unknown }>; requestBody?: unknown };

/** The OpenAPI document at /docs lists every endpoint, with its schemas and its error answers. */
describe('membership: the OpenAPI document', () => {
  let m: MembershipHarness;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    m = await startMembership(uniqueTopicPrefix());
    doc = (await m.http.get('/docs/openapi.json').expect(200)).body;
  });

  afterAll(async () => m?.app.close());

  const endpoints: [string, string, string[]][] = [
    ['post', '/applications', ['201', '400', '409', '413']],
    ['get', '/applications', ['200', '400', '401', '403']],
    ['get', '/applications/{id}', ['200', '400', '401', '404']],
    ['get', '/applications/{id}/history', ['200', '401', '403', '404']],
    ['post', '/applications/{id}/review', ['201', '400', '401', '403', '404', '409']],
    ['post', '/applications/{id}/admit', ['201', '400', '401', '403', '404', '409']],
    ['post', '/applications/{id}/reject', ['201', '400', '401', '403', '404', '409']],
    ['post', '/applications/{id}/withdraw', ['201', '400', '401', '404', '409']],
    ['get', '/members', ['200', '400', '401', '403']],
    ['post', '/members/import', ['201', '400', '401', '403', '413']],
    ['get', '/members/{id}', ['200', '400', '401', '403', '404']],
    ['get', '/members/{id}/history', ['200', '401', '404']],
    ['patch', '/members/{id}', ['200', '400', '401', '403', '404', '409', '412', '428']],
    ['post', '/members/{id}/suspend', ['201', '400', '401', '403', '404', '409']],
    ['post', '/members/{id}/reinstate', ['201', '400', '401', '403', '404', '409']],
    ['post', '/members/{id}/end', ['201', '400', '401', '403', '404', '409']],
    ['get', '/health', ['200', '503']],
  ];

  it.each(endpoints)('%s %s with its answers', (method, path, statuses) => {
    const operation = doc.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
    for (const status of statuses) {
      const answer = operation.responses[status];
      if (Number(status) >= 400) expect(answer.description).toBeTruthy();
      else if (!path.startsWith('/health')) expect(answer.content).toBeDefined();
    }
  });

  it('describes the request and response bodies with schemas', () => {
    for (const name of [
      'SubmitApplicationDto',
      'ApplicationView',
      'ApplicationPage',
      'UpdateMemberDto',
      'MemberView',
      'ImportReport',
    ]) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
    expect(doc.paths['/applications'].post.requestBody).toBeDefined();
    expect(doc.paths['/members/{id}'].patch.requestBody).toBeDefined();
  });
});
