import { unwrapDataKey } from './personal-data-crypto';

/**
 * Organisations' data keys this process has unwrapped, each with the wrapped form it came from,
 * the oldest dropped past `kept`. Callers still read the key's row every time (a key shredded
 * since is seen there and never reaches this); what is saved is the unwrapping, a round trip to
 * the crypto thread pool on the way of every sealed event. The master key is the process's own,
 * fixed from its start.
 */
export class UnwrappedDataKeys {
  private readonly keys = new Map<string, { wrappedKey: string; dataKey: Uint8Array }>();

  constructor(private readonly kept = 10_000) {}

  /** The data key of `wrappedKey`, unwrapped once (unwrapDataKey's errors as they are). */
  async unwrap(organisationId: string, wrappedKey: string, masterKey: Uint8Array): Promise<Uint8Array> {
    const known = this.keys.get(organisationId);
    if (known?.wrappedKey === wrappedKey) return known.dataKey;
    const dataKey = await unwrapDataKey(wrappedKey, masterKey, organisationId);
    if (this.keys.size >= this.kept) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(organisationId, { wrappedKey, dataKey });
    return dataKey;
  }

  /** The organisation's key was shredded: it leaves this process's memory too. */
  forget(organisationId: string): void {
    this.keys.delete(organisationId);
  }
}
