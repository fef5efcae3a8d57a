import { Convergence } from './admissions';

export interface FaultRow {
  fault: string;
  admitted: number;
  delivered: number;
  duplicated: number;
  lost: number;
  /** Answers that were not 2xx: refused (must not appear) / unknown (may appear once). */
  notAdmitted: string;
  /** Seconds from the end of the fault until everything had arrived; '-' if it never did. */
  recovery: string;
  note: string;
}

export function faultRow(fault: string, result: Convergence, note = ''): FaultRow {
  const { verdict } = result;
  const notes = [note];
  if (verdict.resent > 0) notes.push(`${verdict.resent} welcome(s) re-sent with the same Message-ID`);
  if (result.notReady) notes.push(`not ready: ${result.notReady.slice(0, 120)}`);
  return {
    fault,
    admitted: verdict.admitted,
    delivered: verdict.delivered,
    duplicated: verdict.duplicated,
    lost: verdict.lost,
    notAdmitted: `${verdict.refused}/${verdict.unknown}`,
    recovery: result.recoveryMs === null ? '-' : (result.recoveryMs / 1000).toFixed(1),
    note: notes.filter(Boolean).join('; '),
  };
}

/** A plain-text table, one line per fault. */
export function formatFaultTable(rows: FaultRow[], title: string): string {
  const header: FaultRow = {
    fault: 'fault',
    admitted: 'admitted' as unknown as number,
    delivered: 'delivered' as unknown as number,
    duplicated: 'duplicated' as unknown as number,
    lost: 'lost' as unknown as number,
    notAdmitted: 'refused/unknown',
    recovery: 'recovery s',
    note: 'note',
  };
  const columns: (keyof FaultRow)[] = [
    'fault',
    'admitted',
    'delivered',
    'duplicated',
    'lost',
    'notAdmitted',
    'recovery',
    'note',
  ];
  const all = [header, ...rows];
  const widths = columns.map((c) => Math.max(...all.map((row) => String(row[c]).length)));
  const line = (row: FaultRow) =>
    columns
      .map((c, i) => (i === 0 || c === 'note' ? String(row[c]).padEnd(widths[i]) : String(row[c]).padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
