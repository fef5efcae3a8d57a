import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { testServiceEnv } from '@valley/platform/testing';
import { eventually, freePort, uniqueTopicPrefix } from '@valley/testing';

const root = join(__dirname, '..', '..');

/** The pids of a process's children (the workers of a service's primary). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/**
 * The directory with WORKERS=2, as its main.ts runs in production: two processes serve one
 * port; stopping the service stops both; a worker dying takes the service down (exit code not
 * 0) instead of being restarted in a loop, so that the orchestrator restarts it as a whole.
 */
describe('a service in several processes (WORKERS)', () => {
  let service: ChildProcess;
  let exited: Promise<number | null>;
  let port: number;

  beforeEach(async () => {
    port = await freePort();
    service = spawn(process.execPath, ['-r', './scripts/register.js', 'services/directory/src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...testServiceEnv('directory', uniqueTopicPrefix()), PORT: String(port), WORKERS: '2' },
      stdio: 'ignore',
    });
    exited = new Promise((resolve) => service.once('exit', (code) => resolve(code)));
    await eventually(async () => {
      expect((await fetch(`http://127.0.0.1:${port}/members?limit=1`)).status).toBe(200);
      expect(childrenOf(service.pid!)).toHaveLength(2);
    }, 90_000);
  }, 120_000);

  afterEach(() => {
    if (service.exitCode === null) service.kill('SIGKILL');
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = childrenOf(service.pid!);
    service.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  }, 60_000);

  it('exits with an error, stopping the other worker, when a worker dies', async () => {
    const [victim, other] = childrenOf(service.pid!);
    process.kill(victim, 'SIGKILL');
    expect(await exited).not.toBe(0);
    expect(() => process.kill(other, 0)).toThrow();
  }, 60_000);
});
