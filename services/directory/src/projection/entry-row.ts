import { FieldVisibility } from '@valley/contracts';
import { chosenVisibility, EntryState, MemberStatus } from './entry-state';

/** The columns of `directory_entries` that make up an EntryState (dates as text, YYYY-MM-DD). */
export const ENTRY_STATE_COLUMNS = `member_id, status, listing_consent, contact_consent, legal_name, country, region,
  organisation_type, size_class, sector_codes, focus_areas, website, description, statement, logo_url,
  contact_name, contact_email, contact_phone, membership_type, member_since::text AS member_since, visibility,
  last_event_at`;

/** A row read with ENTRY_STATE_COLUMNS. */
export interface EntryRow {
  member_id: string;
  status: MemberStatus;
  listing_consent: boolean;
  contact_consent: boolean;
  legal_name: string;
  country: string;
  region: string;
  organisation_type: string;
  size_class: string;
  sector_codes: string[];
  focus_areas: string[];
  website: string | null;
  description: string | null;
  statement: string | null;
  logo_url: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  membership_type: string;
  member_since: string;
  /** jsonb: the chosen visibility ({} before any choice, and in rows older than the column). */
  visibility: FieldVisibility | null;
  last_event_at: Date;
}

export function entryStateFromRow(r: EntryRow): EntryState {
  return {
    memberId: r.member_id,
    status: r.status,
    listingConsent: r.listing_consent,
    contactConsent: r.contact_consent,
    legalName: r.legal_name,
    country: r.country,
    region: r.region,
    organisationType: r.organisation_type,
    sizeClass: r.size_class,
    sectorCodes: r.sector_codes,
    focusAreas: r.focus_areas,
    website: r.website,
    description: r.description,
    statement: r.statement,
    logoUrl: r.logo_url,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    membershipType: r.membership_type,
    memberSince: r.member_since,
    visibility: chosenVisibility(r.visibility),
    lastEventAt: r.last_event_at,
  };
}
