/** The cluster's own calendar day (Lithuania), e.g. for admission dates. */
export function clusterDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Vilnius' }).format(at);
}
