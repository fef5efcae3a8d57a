/**
 * npm run bench:restart: how fast a consuming service killed with kill -9 comes back.
 *
 * Starts the real system with the fault tier's harness (test/faults/harness: its own Kafka broker
 * on 19092, database valley_test_faults, an SMTP server, the four services as OS processes), then,
 * RESTART_RUNS times (3) for each of RESTART_SERVICES (directory,notifications,reporting): kill -9,
 * start again at once, admit one applicant right after, and print the time from the new process's
 * start until (a) /health/live answers, (b) /health is ready, (c) that admission is visible in
 * the restarted service. Target: ready and consuming within 10 s of its start. At the end, every
 * admission of the run must be everywhere exactly once (exit code 1 otherwise).
 */
import { ServiceName } from '@valley/contracts';
import { performance } from 'node:perf_hooks';
import { Admission, AdmissionLedger, awaitConvergence, judge, observe } from '../../test/faults/harness/admissions';
import { ConsumingServices, ValleySystem } from '../../test/faults/harness/valley-system';

const RUNS = Number(process.env.RESTART_RUNS || 3);
const SERVICES = (process.env.RESTART_SERVICES?.split(',') ?? [...ConsumingServices]) as ServiceName[];
const TARGET_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Measurement {
  service: ServiceName;
  run: number;
  liveMs: number;
  readyMs: number;
  visibleMs: number;
  /** From the kill to ready: what the group's session timeout costs. */
  killToReadyMs: number;
}

/** Milliseconds since `since` until the admission shows in `service` itself. */
async function visibleIn(
  system: ValleySystem,
  ledger: AdmissionLedger,
  service: ServiceName,
  admission: Admission,
  since: number,
): Promise<number> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const seen = await observe(system).catch(() => null);
    if (seen) {
      const visible =
        service === 'directory'
          ? seen.listed.has(admission.organisationId!)
          : service === 'notifications'
            ? (seen.welcomes.get(admission.email) ?? []).length > 0
            : seen.members === judge([], ledger.all, seen).reporting.expected;
      if (visible) return performance.now() - since;
    }
    await sleep(50);
  }
  throw new Error(`${service}: admission #${admission.seq} not visible within 120 s`);
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  process.stdout.write('[restart] starting the system (own broker on 19092, database valley_test_faults)…\n');
  const system = await ValleySystem.start({ name: 'restart-bench' });
  const ledger = new AdmissionLedger(system);
  const measurements: Measurement[] = [];
  let failed = false;
  try {
    await ledger.burst('warm-up', 3, { concurrency: 1 });
    await awaitConvergence(system, ledger, ledger.of('warm-up'), { since: performance.now() });

    for (let run = 1; run <= RUNS; run++) {
      for (const service of SERVICES) {
        const fault = `restart ${service} ${run}`;
        // A few admissions before the kill: the group has work and committed offsets.
        await ledger.burst(fault, 3, { concurrency: 1 });
        await awaitConvergence(system, ledger, ledger.of(fault), { since: performance.now(), settleMs: 300 });
        const killedAt = performance.now();
        await system.killAndRestart(service);
        const restarted = system.service(service);
        const startedAt = restarted.startedAt;
        const admission = await ledger.admitNew(fault);
        if (admission.outcome !== 'admitted') throw new Error(`admission after the restart: ${admission.detail}`);
        const [liveMs, readyMs, visibleMs] = await Promise.all([
          restarted.waitLive(120_000),
          restarted.waitReady(120_000),
          visibleIn(system, ledger, service, admission, startedAt),
        ]);
        const m = { service, run, liveMs, readyMs, visibleMs, killToReadyMs: readyMs + startedAt - killedAt };
        measurements.push(m);
        log(
          `[restart] ${service} run ${run}: live ${seconds(liveMs)} s, ready ${seconds(readyMs)} s, ` +
            `admission visible ${seconds(visibleMs)} s after its start (kill → ready ${seconds(m.killToReadyMs)} s)`,
        );
        const settled = await awaitConvergence(system, ledger, ledger.of(fault), { since: performance.now() });
        if (settled.verdict.problems.length > 0) {
          failed = true;
          log(`[restart] problems after ${fault}: ${settled.verdict.problems.join('; ')}`);
        }
      }
    }

    const whole = judge(ledger.all, ledger.all, await observe(system));
    const lines = [
      '',
      `Restart after kill -9 (${RUNS} runs each; seconds from the new process's start; 2 cores, ts-node):`,
      'service          live (median / max)   ready (median / max)   admission visible (median / max)   kill → ready (max)',
    ];
    for (const service of SERVICES) {
      const mine = measurements.filter((m) => m.service === service);
      const stat = (pick: (m: Measurement) => number) => {
        const values = mine.map(pick).sort((a, b) => a - b);
        return `${seconds(values[Math.floor((values.length - 1) / 2)])} / ${seconds(values[values.length - 1])}`;
      };
      lines.push(
        `${service.padEnd(16)} ${stat((m) => m.liveMs).padEnd(21)} ${stat((m) => m.readyMs).padEnd(22)} ` +
          `${stat((m) => m.visibleMs).padEnd(34)} ${seconds(Math.max(...mine.map((m) => m.killToReadyMs)))}`,
      );
    }
    const worst = Math.max(...measurements.map((m) => Math.max(m.readyMs, m.visibleMs)));
    lines.push(
      `target: ready and consuming within ${TARGET_MS / 1000} s of the start: ${worst <= TARGET_MS ? 'met' : 'NOT met'} (worst ${seconds(worst)} s)`,
      `admissions: ${whole.admitted} admitted, ${whole.delivered} everywhere, ${whole.duplicated} duplicated, ${whole.lost} lost`,
    );
    if (whole.problems.length > 0 || whole.duplicated > 0 || whole.lost > 0) {
      failed = true;
      lines.push(...whole.problems.map((p) => `  problem: ${p}`));
    }
    if (system.unexpectedExits.length > 0) {
      failed = true;
      lines.push(`unexpected exits: ${JSON.stringify(system.unexpectedExits)}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await system.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error) => {
  process.stderr.write(`[restart] failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
