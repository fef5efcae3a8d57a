import { EntityManager } from 'typeorm';
import { HistoryEntry, HistorySubject } from './history-entry.entity';
import { HistoryEntryView } from './dto/history-entry.response';

export interface HistoryStep {
  subject: HistorySubject;
  subjectId: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  actor: string;
  reason?: string | null;
  at: Date;
}

/** Records a step in the caller's transaction, with the change it describes. */
export async function recordHistory(manager: EntityManager, steps: HistoryStep[]): Promise<void> {
  if (steps.length === 0) return;
  await manager.getRepository(HistoryEntry).insert(
    steps.map((step) => ({
      ...step,
      fromStatus: step.fromStatus ?? null,
      toStatus: step.toStatus ?? null,
      reason: step.reason ?? null,
    })),
  );
}

export async function historyOf(manager: EntityManager, subjectId: string): Promise<HistoryEntry[]> {
  return manager.getRepository(HistoryEntry).find({ where: { subjectId }, order: { id: 'ASC' } });
}

export function toHistoryView(entry: HistoryEntry): HistoryEntryView {
  return {
    action: entry.action,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    actor: entry.actor,
    reason: entry.reason,
    at: entry.at.toISOString(),
  };
}
