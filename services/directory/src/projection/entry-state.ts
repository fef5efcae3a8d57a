import { FieldVisibility, TypedEvent, VisibilityPayload, Visibilities, VisibleFields } from '@valley/contracts';

export type MemberStatus = 'active' | 'suspended' | 'ended';

/** What the directory knows about one member: the projection's state, one row of `directory_entries`. */
export interface EntryState {
  memberId: string;
  status: MemberStatus;
  /** The member consents to appear in the public directory. */
  listingConsent: boolean;
  /** The member consents to show its contact person (name, email, phone). */
  contactConsent: boolean;
  legalName: string;
  country: string;
  region: string;
  organisationType: string;
  sizeClass: string;
  sectorCodes: string[];
  focusAreas: string[];
  website: string | null;
  description: string | null;
  statement: string | null;
  logoUrl: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  membershipType: string;
  /** YYYY-MM-DD */
  memberSince: string;
  /**
   * Who the member chose to see each field (`public`, `members`, `hidden`), as the events carried
   * it; a field not named keeps its default. What a caller sees follows from it and the consent
   * (`effectiveVisibility` of the contracts): the choice is kept as chosen, so that consent given
   * again restores it.
   */
  visibility: FieldVisibility;
  /** When the newest event reflected here happened. */
  lastEventAt: Date;
}

/** Listed = shown to the public: active and consenting to public listing. */
export function isListed(state: EntryState): boolean {
  return state.status === 'active' && state.listingConsent;
}

/** Profile fields copied as they are from `MemberProfileUpdated.changes`. */
const PLAIN_FIELDS = [
  'legalName',
  'country',
  'region',
  'organisationType',
  'sizeClass',
  'sectorCodes',
  'focusAreas',
  'website',
  'description',
  'statement',
  'logoUrl',
] as const;
type PlainField = (typeof PLAIN_FIELDS)[number];
const NULLABLE_FIELDS: ReadonlySet<PlainField> = new Set(['website', 'description', 'statement', 'logoUrl']);

/**
 * Applies one membership event to a member's entry and returns the new state (the same object
 * when the event changes nothing). Pure: the projection folds a batch through it per member, in
 * order. An event older than what the entry already reflects changes nothing; events about a
 * member the directory has not seen admitted change nothing either (there is nothing to show).
 */
export function applyEvent(state: EntryState | null, event: TypedEvent): EntryState | null {
  const at = new Date(event.occurredAt);
  if (state && at.getTime() < state.lastEventAt.getTime()) return state;

  switch (event.type) {
    case 'MemberAdmitted': {
      const p = event.payload;
      return {
        memberId: p.memberId,
        status: 'active',
        listingConsent: p.consent.publicListing,
        contactConsent: p.consent.publicContact ?? false,
        legalName: p.legalName,
        country: p.country,
        region: p.region,
        organisationType: p.organisationType,
        sizeClass: p.sizeClass,
        sectorCodes: [...p.sectorCodes],
        focusAreas: [...p.focusAreas],
        website: p.website ?? null,
        description: p.description ?? null,
        statement: p.statement ?? null,
        logoUrl: p.logoUrl ?? null,
        // Absent once the organisation's personal data was erased (its key shredded).
        contactName: p.contact?.name ?? null,
        contactEmail: p.contact?.email ?? null,
        contactPhone: p.contact?.phone ?? null,
        membershipType: p.membershipType,
        memberSince: p.admittedOn,
        visibility: chosenVisibility(p.visibility),
        lastEventAt: at,
      };
    }
    case 'MemberProfileUpdated': {
      if (!state) return state;
      const { changes, changedFields } = event.payload;
      const next: EntryState = { ...state, lastEventAt: at };
      for (const field of changedFields) {
        if ((PLAIN_FIELDS as readonly string[]).includes(field)) {
          const name = field as PlainField;
          const value = changes[name];
          if (value === undefined || (value === null && !NULLABLE_FIELDS.has(name))) continue;
          (next as unknown as Record<string, unknown>)[name] = Array.isArray(value) ? [...value] : value;
        } else if (field === 'consent' && changes.consent) {
          next.listingConsent = changes.consent.publicListing;
          next.contactConsent = changes.consent.publicContact ?? false;
        } else if (field === 'contact' && changes.contact) {
          next.contactName = changes.contact.name;
          next.contactEmail = changes.contact.email;
          next.contactPhone = changes.contact.phone ?? null;
        } else if (field === 'visibility' && changes.visibility) {
          // Whole, like contact and consent: a field it does not name is back to its default.
          next.visibility = chosenVisibility(changes.visibility);
        }
      }
      return next;
    }
    case 'MemberSuspended':
      if (!state) return state;
      return { ...state, status: state.status === 'ended' ? 'ended' : 'suspended', lastEventAt: at };
    case 'MemberReinstated':
      if (!state) return state;
      return { ...state, status: state.status === 'ended' ? 'ended' : 'active', lastEventAt: at };
    case 'MembershipEnded':
      // The entry stays (so that older events arriving late change nothing), without contact details.
      if (!state) return state;
      return { ...state, status: 'ended', contactName: null, contactEmail: null, contactPhone: null, lastEventAt: at };
    case 'PersonalDataErased':
      // What its sealed fields held, gone as a replay (which cannot open them any more) would have it.
      if (!state) return state;
      return {
        ...state,
        contactName: null,
        contactEmail: null,
        contactPhone: null,
        description: null,
        statement: null,
        lastEventAt: at,
      };
    default:
      return state;
  }
}

/**
 * A visibility as the events carry it, reduced to the choices made (known fields, known values),
 * in the contracts' field order: the same choice is always stored alike (rebuild equals live).
 */
export function chosenVisibility(payload: VisibilityPayload | null | undefined): FieldVisibility {
  const chosen: FieldVisibility = {};
  for (const field of VisibleFields) {
    const value = payload?.[field];
    if (value !== undefined && (Visibilities as readonly string[]).includes(value)) chosen[field] = value;
  }
  return chosen;
}
