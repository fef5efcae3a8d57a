import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (this file is libs/platform/src/testing/). */
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const DEV_IDENTITY_PROVIDER_ENTRY = join(REPO_ROOT, 'tools', 'dev-identity-provider', 'main.mjs');

/** DEV ONLY: the development portal's client, as tools/dev-identity-provider/provider.mjs registers it. */
export const DEV_IDP_CLIENT_ID = 'valley-portal';
export const DEV_IDP_CLIENT_SECRET = 'valley-dev-only-portal-client-secret';
export const DEV_IDP_COORDINATOR = 'coordinator@valley.dev';
export const DEV_IDP_PERSON = 'person@valley.dev';

/** What the provider's ready line says. */
export interface DevIdentityProviderInfo {
  issuer: string;
  jwksUrl: string;
  port: number;
  audience: string;
  clientId: string;
  accounts: { id: string; roles: string[] }[];
  accessTokenTtlSeconds: number;
  sessionTtlSeconds: number;
}

export interface RunningDevIdentityProvider extends DevIdentityProviderInfo {
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the real DEV ONLY OpenID Connect provider (tools/dev-identity-provider, oidc-provider) as
 * its own process, on a free port of 127.0.0.1 unless `env` says otherwise (DEV_IDP_*), and
 * resolves once it listens. The caller stops it.
 */
export async function startDevIdentityProvider(
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RunningDevIdentityProvider> {
  const child = spawn(process.execPath, [DEV_IDENTITY_PROVIDER_ENTRY], {
    cwd: REPO_ROOT,
    // Not NODE_ENV=production (the provider refuses it), whatever the test runs under.
    env: { ...process.env, NODE_ENV: 'test', DEV_IDP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const info = await new Promise<DevIdentityProviderInfo>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the dev identity provider did not start: ${error.message}\n${stderr}`));
    }
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`it exited (${signal ?? `code ${code}`})`));
    child.once('exit', onExit);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = /^dev-identity-provider ready (\{.*\})$/m.exec(stdout);
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(JSON.parse(line[1]) as DevIdentityProviderInfo);
    });
  });

  return {
    ...info,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}
