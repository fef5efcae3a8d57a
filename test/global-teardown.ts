export default async function globalTeardown(): Promise<void> {
  const infra = globalThis.__VALLEY_TEST_INFRA__;
  globalThis.__VALLEY_TEST_INFRA__ = undefined;
  await infra?.stop();
}
