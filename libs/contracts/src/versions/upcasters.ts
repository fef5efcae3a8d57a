/**
 * Upcasters: how a consumer reads a payload of an older schemaVersion. For each event type, the
 * step from version n to n + 1, keyed by n; decodeEvent applies them one after the other, after
 * validating the old payload against its published schema (libs/contracts/schemas/published.json),
 * and validates the result against the current one.
 *
 * Every version is 1 today. When a change is one old events cannot take, the contract gets
 * schemaVersion 2, and its step lands here, e.g.
 *
 *   MemberSuspended: { 1: ({ reason, ...rest }) => ({ ...rest, reasonText: reason }) },
 */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;
export type Upcasters = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

export const EventUpcasters: Upcasters = {};
