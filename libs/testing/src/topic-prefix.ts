import { randomUUID } from 'node:crypto';

/** A topic and consumer-group prefix unique to one test file, so suites never see each other's events. */
export function uniqueTopicPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}.`;
}
