import { ServiceName } from '@valley/contracts';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../../../scripts/infra/kafka';

/** A service process that ended without the harness asking (a crash, an exit on a fatal error). */
export interface UnexpectedExit {
  /** The service, and `#2` for its second instance. */
  service: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: string;
  /** The end of its log, so that a failure on a CI machine says why without the log file. */
  lastLines: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One service as its own OS process: `node -r ./scripts/register.js services/<service>/src/main.ts`
 * (as `npm start` runs it), or the built `node dist/services/<service>/main.js` (as the image runs
 * it: `npm run build` first), with its environment, stdout and stderr appended to a log file.
 * `kill9()` is a real SIGKILL: nothing in the process gets to clean up.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  /** performance.now() when the current process was spawned. */
  startedAt = 0;

  constructor(
    /** One of the four services, or the portal (services/portal, which has no Kafka or database). */
    readonly service: ServiceName | 'portal',
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly onUnexpectedExit: (exit: UnexpectedExit) => void,
    /** Node options before the script (e.g. --cpu-prof, which NODE_OPTIONS does not take). */
    private readonly nodeArgs: string[] = [],
    /** 1 for the first process of the service, 2 for the second... */
    readonly instance = 1,
    /** Run the built JavaScript under dist/ instead of the TypeScript sources. */
    private readonly built = false,
  ) {}

  /** `directory`, or `directory#2` for a second instance. */
  get name(): string {
    return this.instance === 1 ? this.service : `${this.service}#${this.instance}`;
  }

  get pid(): number | undefined {
    return this.running ? this.child!.pid : undefined;
  }

  /** Not running because the harness stopped or killed it (and has not started it since). */
  get stoppedOnPurpose(): boolean {
    return !this.running && this.expectingExit;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.child!.pid})`);
    const log = openSync(this.logFile, 'a');
    writeSync(log, `\n---- ${new Date().toISOString()} starting ${this.name} ----\n`);
    this.expectingExit = false;
    this.startedAt = performance.now();
    const child = spawn(
      process.execPath,
      this.built
        ? [...this.nodeArgs, `dist/services/${this.service}/main.js`]
        : [...this.nodeArgs, '-r', './scripts/register.js', `services/${this.service}/src/main.ts`],
      {
        cwd: REPO_ROOT,
        env: this.env,
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    this.child = child;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.expectingExit) {
          this.onUnexpectedExit({
            service: this.name,
            pid: child.pid ?? -1,
            code,
            signal,
            at: new Date().toISOString(),
            lastLines: this.logTail(3),
          });
        }
        resolve();
      });
    });
  }

  private logTail(lines: number): string[] {
    const text = readFileSync(this.logFile, 'utf8').slice(-20_000);
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-lines)
      .map((line) => line.slice(0, 600));
  }

  /** SIGKILL: the process gets no chance to finish anything (no shutdown hooks, no commits). */
  async kill9(): Promise<void> {
    if (!this.running) throw new Error(`${this.name} is not running`);
    this.expectingExit = true;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (a graceful stop), SIGKILL if it takes longer than `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.expectingExit = true;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Polls `path` until `accept` says yes; returns the milliseconds since this process was spawned.
   * Fails early if the process exits meanwhile.
   */
  async waitFor(
    path: string,
    accept: (status: number) => boolean = (status) => status === 200,
    timeoutMs = 90_000,
    intervalMs = 50,
  ): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let last = 'no answer';
    while (performance.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited while waiting for ${path}; see ${this.logFile}`);
      try {
        const response = await fetch(this.url(path), { signal: AbortSignal.timeout(2_000) });
        const body = await response.text();
        if (accept(response.status)) return performance.now() - this.startedAt;
        last = `${response.status} ${body.slice(0, 500)}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(intervalMs);
    }
    throw new Error(`${this.name}: ${path} not ready within ${timeoutMs} ms (last: ${last}); see ${this.logFile}`);
  }

  waitLive(timeoutMs?: number): Promise<number> {
    return this.waitFor('/health/live', undefined, timeoutMs);
  }

  waitReady(timeoutMs?: number): Promise<number> {
    return this.waitFor('/health', undefined, timeoutMs);
  }
}
