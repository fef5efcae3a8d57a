import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restartDelayMs, Supervisor } from './supervisor';

describe('restartDelayMs', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('Supervisor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'valley-supervisor-'));

  it('restarts a process that exits, says so, and stops for good on stop()', async () => {
    const said: string[] = [];
    const logFile = join(dir, 'flaky.log');
    // Exits at once the first time (no marker yet), stays up the second time.
    const marker = join(dir, 'started-once');
    const script = `
      const fs = require('node:fs');
      if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); console.log('first'); process.exit(3); }
      console.log('second'); setInterval(() => {}, 1000);`;
    const supervisor = new Supervisor(
      { name: 'flaky', args: ['-e', script], cwd: dir, env: process.env, logFile },
      (message) => said.push(message),
    );

    supervisor.start();
    const first = supervisor.current!;
    await new Promise((resolve) => first.once('exit', resolve));
    for (let i = 0; i < 50 && supervisor.current === first; i++) await new Promise((r) => setTimeout(r, 100));
    const second = supervisor.current!;

    expect(second).not.toBe(first);
    expect(said).toEqual([`flaky exited (code 3); restarting in 1 s (restart 1; see ${logFile})`]);
    for (let i = 0; i < 50 && !readFileSync(logFile, 'utf8').includes('second'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(readFileSync(logFile, 'utf8')).toMatch(/first\nsecond\n/);
    await supervisor.stop();
    expect(second.signalCode).toBe('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_200));
    expect(supervisor.current).toBe(second);
  }, 15_000);
});
