import { Page } from 'playwright-core';
import { Locale } from '../../../services/portal/src/i18n/locale';
import { Messages } from '../../../services/portal/src/i18n/messages';
import { PortalStack } from './portal-stack';

const messages = Messages.load();
const LINK = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\/link\?token=[A-Za-z0-9_-]{43})/;

/**
 * A member signs in as a person does: the email form on /sign-in, the link from the email the
 * SMTP server received, the button on the link's page; the page ends on `/account` (or `next`).
 * Membership allows 5 links per address an hour: a spec signs each address in a few times only.
 */
export async function memberSignIn(
  stack: PortalStack,
  page: Page,
  email: string,
  locale: Locale = 'lt',
): Promise<void> {
  const t = (key: string) => messages.t(locale, key);
  const before = stack.smtp.messages.length;
  await page.goto(`${stack.portalUrl}/sign-in`);
  await page.getByLabel(t('signIn.email.label')).fill(email);
  await page.getByRole('button', { name: t('signIn.email.button') }).click();
  await page.waitForURL(`${stack.portalUrl}/sign-in/check-email`);
  const mail = await stack.smtp.waitFor(
    (m) => m.to.includes(email) && LINK.test(m.text) && stack.smtp.messages.indexOf(m) >= before,
  );
  await page.goto(LINK.exec(mail.text)![1]);
  await page.getByRole('button', { name: t('signIn.link.button') }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/account'));
}
