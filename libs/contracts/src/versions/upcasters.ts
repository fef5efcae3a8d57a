/**
 * Upcasters: how a consumer reads a payload of an older schemaVersion. For each event type, the
 * step from version n to n + 1, keyed by n; decodeEvent applies them one after the other, after
 * validating the old payload against its published schema (libs/contracts/schemas/published.json),
 * and validates the result against the current one.
 *
 * When a change is one old events cannot take, the contract gets a new schemaVersion, and its step
 * lands here, e.g.
 *
 *   MemberSuspended: { 1: ({ reason, ...rest }) => ({ ...rest, reasonText: reason }) },
 */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;
export type Upcasters = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/** V1 carried the personal fields in the clear: a V1 payload is a V2 one whose `personal` is absent. */
const personalFieldsInTheClear = (payload: Record<string, unknown>) => payload;

export const EventUpcasters: Upcasters = {
  ApplicationSubmitted: { 1: personalFieldsInTheClear },
  MemberAdmitted: { 1: personalFieldsInTheClear },
  MemberProfileUpdated: { 1: personalFieldsInTheClear },
};
