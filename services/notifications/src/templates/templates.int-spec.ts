import { INestApplication } from '@nestjs/common';
import { coordinatorToken, tokenWithRoles } from '@valley/platform/testing';
import request from 'supertest';
import { NotificationsHarness } from '../../test/notifications-harness';
import { TemplateNames } from './template-renderer';

jest.setTimeout(60_000);

describe('notifications: template preview (coordinator)', () => {
  const harness = new NotificationsHarness();
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await harness.start());
  });

  afterAll(() => harness.stop());

  const get = (path: string, token = coordinatorToken()) =>
    request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it('lists the templates and languages', async () => {
    const response = await get('/templates').expect(200);
    expect(response.body).toEqual({ templates: [...TemplateNames], languages: ['lt', 'en'] });
  });

  it.each(TemplateNames.map((name) => [name] as const))(
    'renders %s with sample data in both languages',
    async (name) => {
      const lt = await get(`/templates/${name}/preview?language=lt`).expect(200);
      const en = await get(`/templates/${name}/preview?language=en`).expect(200);
      for (const preview of [lt.body, en.body]) {
        expect(preview.template).toBe(name);
        expect(preview.subject).not.toBe('');
        // What the email is about: the organisation, or (a paused webhook) the partner's endpoint.
        expect(preview.text).toContain(preview.sampleData.legalName ?? preview.sampleData.url);
        expect(preview.html).toMatch(/^<!doctype html>/);
      }
      expect(lt.body.html).toContain('<html lang="lt">');
      expect(en.body.html).toContain('<html lang="en">');
      expect(lt.body.subject).not.toBe(en.body.subject);
    },
  );

  it('refuses an unknown template or language with a 400 naming the field', async () => {
    const template = await get('/templates/newsletter/preview').expect(400);
    expect(template.body.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
    const language = await get('/templates/welcome/preview?language=de').expect(400);
    expect(language.body.fields.map((f: { field: string }) => f.field)).toEqual(['language']);
  });

  it('is for the coordinator only', async () => {
    await request(app.getHttpServer()).get('/templates/welcome/preview').expect(401);
    await get('/templates/welcome/preview', tokenWithRoles(['member'])).expect(403);
  });
});
