/** Made once: building an Intl.DateTimeFormat costs milliseconds, formatting with one microseconds. */
const CLUSTER_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Vilnius' });

/** The cluster's own calendar day (Lithuania), e.g. for admission dates. */
export function clusterDate(at: Date = new Date()): string {
  return CLUSTER_DAY.format(at);
}
