import { assertChromium } from './support/chromium';
import sharedGlobalSetup from '../global-setup';

/**
 * The browser journeys' setup: Chromium first (a clear message saying how to install it when it
 * is missing), then the same Postgres, Kafka and migrations as the integration and e2e tiers.
 */
export default async function browserGlobalSetup(): Promise<void> {
  assertChromium();
  await sharedGlobalSetup();
}
