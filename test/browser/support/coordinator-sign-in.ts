import { DEV_IDP_COORDINATOR } from '@valley/platform/testing';
import { Page } from 'playwright-core';
import { Locale } from '../../../services/portal/src/i18n/locale';
import { Messages } from '../../../services/portal/src/i18n/messages';
import { PortalStack } from './portal-stack';

const messages = Messages.load();

/**
 * A coordinator signs in as a person does, from a portal page that offers "Sign in as
 * coordinator" (/sign-in): the OpenID Connect provider's DEV ONLY pages (pick the account, allow)
 * when it asks, nothing when its session and grant already exist; ends back on the portal.
 * The stack must run the provider (`identityProvider: true`).
 */
export async function coordinatorSignIn(
  stack: PortalStack,
  page: Page,
  locale: Locale = 'lt',
  account = DEV_IDP_COORDINATOR,
): Promise<void> {
  await page.getByRole('button', { name: messages.t(locale, 'signIn.coordinator.button') }).click();
  for (let step = 0; step < 4; step++) {
    await page.waitForLoadState();
    if (page.url().startsWith(stack.portalUrl)) return;
    if (await page.locator(`input[name="account"][value="${account}"]`).count()) {
      await page.check(`input[name="account"][value="${account}"]`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
    } else {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Allow' }).click()]);
    }
  }
  await page.waitForURL((u) => u.href.startsWith(stack.portalUrl));
}
