import { ServiceName } from '@valley/contracts';
import { AdmissionLedger, AdmissionOutcome, awaitConvergence, Convergence, profileStatuses } from './admissions';
import { FaultRow, faultRow } from './fault-table';
import { ValleySystem } from './valley-system';

export interface FaultCheckOptions {
  timeoutMs?: number;
  deadLetters?: (before: Record<ServiceName, number>) => Record<ServiceName, number>;
  /** Admissions the scenario expects to be refused (made while membership is down). */
  refused?: number;
  /** Instead of `refused`: at most this many (a membership instance killed while others answer). */
  refusedAtMost?: number;
  /**
   * Admissions that may have no clear answer: only where a membership instance is killed while
   * answering (each of them then appears once or not at all).
   */
  unknownAtMost?: number;
  /**
   * Welcomes the SMTP server may receive a second time with the same Message-ID: only where the
   * sender itself is killed, in the window between the server's 250 and the row saying "sent"
   * (services/notifications/README.md, "The crash window").
   */
  resent?: number;
}

/**
 * `checkFault(fault, scenario)`: runs `scenario` (it drives admissions under the name `fault` and
 * resolves with the moment the fault ended), waits for everything to arrive, records the row in
 * `rows`, then asserts: nothing lost or doubled, every process ready, none exited unasked, no dead
 * letters, and the directory's profile answers for each member and for nothing refused.
 */
export function faultChecker(system: () => ValleySystem, ledger: () => AdmissionLedger, rows: FaultRow[]) {
  return async function checkFault(
    fault: string,
    scenario: () => Promise<{ since: number; note?: string }>,
    options: FaultCheckOptions = {},
  ): Promise<Convergence> {
    const deadLettersBefore = await system().deadLetterCounts();
    const exitsBefore = system().unexpectedExits.length;
    const { since, note } = await scenario();
    const result = await awaitConvergence(system(), ledger(), ledger().of(fault), {
      since,
      timeoutMs: options.timeoutMs,
    });
    rows.push(faultRow(fault, result, note));

    const exits = system().unexpectedExits.slice(exitsBefore);
    expect({ problems: result.verdict.problems, notReady: result.notReady, exits }).toEqual({
      problems: [],
      notReady: null,
      exits: [],
    });
    expect(result.verdict).toMatchObject({ lost: 0, duplicated: 0 });
    // As lists of what each answer said, so that a failure shows why they were refused or unclear.
    const answers = (outcome: AdmissionOutcome) =>
      ledger()
        .of(fault)
        .filter((a) => a.outcome === outcome)
        .map((a) => `#${a.seq} ${a.detail}`);
    const refused = answers('refused');
    if (options.refusedAtMost === undefined) expect(refused).toHaveLength(options.refused ?? 0);
    else if (refused.length > options.refusedAtMost) expect(refused).toHaveLength(options.refusedAtMost);
    const unknown = answers('unknown');
    if (unknown.length > (options.unknownAtMost ?? 0)) expect(unknown).toHaveLength(options.unknownAtMost ?? 0);
    expect(result.verdict.resent).toBeLessThanOrEqual(options.resent ?? 0);
    expect(result.verdict.admitted).toBeGreaterThan(0);
    expect(result.verdict.delivered).toBe(result.verdict.admitted);
    expect(await system().deadLetterCounts()).toEqual(options.deadLetters?.(deadLettersBefore) ?? deadLettersBefore);

    // The directory's profile answers for each member, and for nothing that was refused.
    const mine = ledger()
      .of(fault)
      .filter((a) => a.organisationId !== null && a.outcome !== 'unknown');
    const statuses = await profileStatuses(
      system(),
      mine.map((a) => a.organisationId!),
    );
    expect(mine.filter((a) => statuses.get(a.organisationId!) !== (a.outcome === 'admitted' ? 200 : 404))).toEqual([]);
    return result;
  };
}
