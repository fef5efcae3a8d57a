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
        // What the email is about: the organisation, or (a paused webhook) the partner's endpoint.
        const sample = templateSamples[name] as Record<string, unknown>;
        expect(email.text).toContain(String(sample.legalName ?? sample.url));
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

  describe('member-sign-in', () => {
    const sample = templateSamples['member-sign-in'];
    const url = String(sample.signInUrl);

    it.each([
      [
        'lt',
        /^Jūsų nuoroda prisijungti/,
        'galioja 15 min. (iki 2026-11-27 11:15 Lietuvos laiku) ir tik vieną kartą',
        'Jei tai buvote ne Jūs, šio laiško nepaisykite',
      ],
      [
        'en',
        /^Your sign-in link/,
        'valid for 15 minutes (until 2026-11-27 11:15, Lithuanian time) and works once',
        'If it was not you, ignore this email',
      ],
    ] as const)(
      'in %s: who asked, the link, 15 minutes and once, "ignore it if it was not you"',
      (language, subject, validity, ignore) => {
        const email = renderer.render('member-sign-in', language, sample);
        expect(email.subject).toMatch(subject);
        for (const part of [email.text, email.html]) {
          expect(part).toContain('Jonas Jonaitis');
          expect(part).toContain('2026-11-27 11:00');
          expect(part).toContain(validity);
          expect(part).toContain(ignore);
        }
        expect(email.text).toContain(`${sample.legalName}`);
        expect(email.text).toContain(`\n${url}\n`);
        expect(email.html.replace(/&#x3D;/g, '=')).toContain(`href="${url}"`);
        // Transactional: no announcement footer.
        expect(email.text.toLowerCase()).not.toMatch(/unsubscribe|atsisakyti/);
      },
    );

    it('greets without a name, and names no organisation, when the contact is not known', () => {
      const unknown = { ...sample, contactName: null, legalName: null };
      expect(renderer.render('member-sign-in', 'en', unknown).text).toMatch(/^Hello,\n/);
      expect(renderer.render('member-sign-in', 'lt', unknown).text).toMatch(/^Sveiki,\n/);
      expect(renderer.render('member-sign-in', 'en', unknown).text).not.toContain('contact address of');
    });

    it('does not render without its link (the sender adds it from sign_in_links)', () => {
      const { signInUrl: _url, ...withoutLink } = sample;
      expect(() => renderer.render('member-sign-in', 'en', withoutLink)).toThrow(/signInUrl/);
    });

    it('has a sample link whose token no one could take for a real one (43 base64url characters)', () => {
      expect(new URL(url).searchParams.get('token')).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    });
  });

  it('fails loudly when the data lacks a field the template names (strict mode)', () => {
    const { reason: _reason, ...withoutReason } = templateSamples['member-suspended'];
    expect(() => renderer.render('member-suspended', 'en', withoutReason)).toThrow(/reason/);
  });
});
