import { ContactLanguages } from '@valley/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR, TemplateNames, TemplateRenderer } from './template-renderer';
import { templateSamples } from './template-samples';

describe('TemplateRenderer', () => {
  const renderer = new TemplateRenderer();

  describe.each(TemplateNames.map((name) => [name] as const))('%s', (name) => {
    it.each(ContactLanguages.map((language) => [language] as const))(
      'has subject, text and HTML files in %s that render with the sample data',
      (language) => {
        for (const part of ['subject', 'text', 'html']) {
          expect(existsSync(join(TEMPLATES_DIR, name, language, `${part}.hbs`))).toBe(true);
        }
        const email = renderer.render(name, language, templateSamples[name]);
        expect(email.subject).not.toBe('');
        expect(email.subject).not.toContain('\n');
        expect(email.text).toContain(String(templateSamples[name].legalName));
        expect(email.html).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${language}">`));
      },
    );
  });

  it('writes Lithuanian for lt and English for en, with labels in that language', () => {
    const lt = renderer.render('welcome', 'lt', templateSamples.welcome);
    const en = renderer.render('welcome', 'en', templateSamples.welcome);
    expect(lt.subject).toMatch(/^Sveiki/);
    expect(lt.text).toContain('Tarptautinė plėtra');
    expect(en.subject).toMatch(/^Welcome/);
    expect(en.text).toContain('International development');
  });

  it('escapes data in the HTML part and leaves the text part as written', () => {
    const data = { ...templateSamples['application-rejected'], reason: 'Fees <unpaid> & "late"' };
    const email = renderer.render('application-rejected', 'en', data);
    expect(email.html).toContain('Fees &lt;unpaid&gt; &amp; &quot;late&quot;');
    expect(email.text).toContain('Fees <unpaid> & "late"');
  });

  it('puts the unsubscribe link in every announcement', () => {
    for (const language of ContactLanguages) {
      const email = renderer.render('announcement', language, templateSamples.announcement);
      expect(email.text).toContain(String(templateSamples.announcement.unsubscribeUrl));
      // Handlebars escapes "=" as &#x3D; inside attributes: the same URL once a browser decodes it.
      expect(email.html.replace(/&#x3D;/g, '=')).toContain(`href="${templateSamples.announcement.unsubscribeUrl}"`);
    }
  });

  it('fails loudly when the data lacks a field the template names (strict mode)', () => {
    const { reason: _reason, ...withoutReason } = templateSamples['member-suspended'];
    expect(() => renderer.render('member-suspended', 'en', withoutReason)).toThrow(/reason/);
  });
});
