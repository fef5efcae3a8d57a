import type { ContactLanguage, FocusArea, OrganisationType, SizeClass } from '@valley/contracts';
import { Column } from 'typeorm';

export interface Contact {
  name: string;
  email: string;
  phone?: string;
  language: ContactLanguage;
}

export interface Consent {
  publicListing: boolean;
  announcements: boolean;
  /** The directory may show the contact's name, email and phone (absent: no). */
  publicContact?: boolean;
}

/**
 * The organisation's profile, as it applied and as it is a member: the columns the `applications`
 * and `members` tables share (each entity extends this class, so its rows stay flat).
 */
export abstract class OrganisationProfile {
  @Column({ name: 'legal_name', type: 'text' })
  legalName!: string;

  @Column({ name: 'registration_code', type: 'text' })
  registrationCode!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ name: 'organisation_type', type: 'text' })
  organisationType!: OrganisationType;

  @Column({ name: 'size_class', type: 'text' })
  sizeClass!: SizeClass;

  @Column({ name: 'sector_codes', type: 'text', array: true })
  sectorCodes!: string[];

  @Column({ name: 'focus_areas', type: 'text', array: true })
  focusAreas!: FocusArea[];

  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Null once the organisation's personal data was erased (see erasure/). */
  @Column({ type: 'jsonb', nullable: true })
  contact!: Contact | null;

  @Column({ type: 'jsonb' })
  consent!: Consent;
}

/** Just the profile of an application or a member: what its views and its events carry. */
export function profileOf(source: OrganisationProfile): OrganisationProfile {
  return {
    legalName: source.legalName,
    registrationCode: source.registrationCode,
    country: source.country,
    region: source.region,
    organisationType: source.organisationType,
    sizeClass: source.sizeClass,
    sectorCodes: source.sectorCodes,
    focusAreas: source.focusAreas,
    website: source.website,
    description: source.description,
    contact: source.contact,
    consent: source.consent,
  };
}
