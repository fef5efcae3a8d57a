// The history's front door: who did what, when and why, recorded in the caller's transaction.
export { HistoryEntryView } from './dto/history-entry.response';
export { historyOf, recordHistory, toHistoryView } from './history';
export type { HistoryStep } from './history';
