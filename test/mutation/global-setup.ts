import globalSetup from '../global-setup';

/**
 * The tests' global setup, on a database of this Stryker worker's own: `<DATABASE_URL's
 * database>_w<worker>` (created when missing; the setup refuses names without "test").
 */
export default async function mutationGlobalSetup(): Promise<void> {
  const worker = process.env.STRYKER_MUTATOR_WORKER;
  const url = process.env.DATABASE_URL;
  if (worker !== undefined && url && !process.env.VALLEY_MUTATION_BASE_DATABASE_URL) {
    process.env.VALLEY_MUTATION_BASE_DATABASE_URL = url;
    const own = new URL(url);
    own.pathname = `${own.pathname}_w${worker}`;
    process.env.DATABASE_URL = own.toString();
  }
  await globalSetup();
}
