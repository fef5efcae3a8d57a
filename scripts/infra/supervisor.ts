import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';

export interface SupervisedProcess {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where its stdout and stderr go (appended). */
  logFile: string;
}

/** Waits before restart n (1, 2, 3…): 1 s, 2 s, 4 s… up to 30 s. */
export function restartDelayMs(restart: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, restart - 1));
}

/** A process that stayed up this long counts as healthy again: the next crash starts the backoff afresh. */
const STABLE_AFTER_MS = 60_000;

/**
 * Runs a process and restarts it when it exits unasked, with backoff, as docker compose
 * (`restart: unless-stopped`) and Kubernetes would; says so through `say`. `stop()` ends it for
 * good (SIGTERM, then SIGKILL after 15 s) and restarts nothing more.
 */
export class Supervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: WriteStream;

  constructor(
    readonly spec: SupervisedProcess,
    private readonly say: (message: string) => void,
  ) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  /** The process running now (it changes after a restart). */
  get current(): ChildProcess | null {
    return this.child;
  }

  get restartCount(): number {
    return this.restarts;
  }

  start(): void {
    this.startedAt = Date.now();
    const child = spawn(process.execPath, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => this.exited(code, signal));
    this.child = child;
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.restarts = 0;
    this.restarts++;
    const delay = restartDelayMs(this.restarts);
    this.say(
      `${this.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s ` +
        `(restart ${this.restarts}; see ${this.spec.logFile})`,
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopping) this.start();
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    this.log.end();
  }
}
