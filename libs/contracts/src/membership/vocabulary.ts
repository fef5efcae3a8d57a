/** The cluster's shared vocabulary: values that travel in events and are validated on both sides. */

export const OrganisationTypes = ['business', 'science_academic', 'public_body', 'association', 'other'] as const;
export type OrganisationType = (typeof OrganisationTypes)[number];

/** The EU SME size classes. */
export const SizeClasses = ['micro', 'small', 'medium', 'large'] as const;
export type SizeClass = (typeof SizeClasses)[number];

/** The cluster's seven focus areas. */
export const FocusAreas = [
  'information_communication',
  'cooperation',
  'training_skills',
  'innovation_technologies',
  'common_marketing',
  'international_development',
  'cluster_partnerships',
] as const;
export type FocusArea = (typeof FocusAreas)[number];

export const ContactLanguages = ['lt', 'en'] as const;
export type ContactLanguage = (typeof ContactLanguages)[number];

export const MembershipTypes = ['founding', 'full'] as const;
export type MembershipType = (typeof MembershipTypes)[number];

/** NACE Rev. 2 code shape: a section letter, optionally a division, group and class (C, C26, C26.1, C26.11). */
export const NACE_CODE_PATTERN = /^[A-U](\d{2}(\.\d{1,2})?)?$/;

/** Who sees a field of a member's directory entry: anyone, signed-in members (and coordinators), nobody. */
export const Visibilities = ['public', 'members', 'hidden'] as const;
export type Visibility = (typeof Visibilities)[number];

/** The directory fields a member chooses the visibility of. */
export const VisibleFields = [
  'contactName',
  'contactEmail',
  'contactPhone',
  'website',
  'description',
  'statement',
  'logo',
] as const;
export type VisibleField = (typeof VisibleFields)[number];

export type FieldVisibility = Partial<Record<VisibleField, Visibility>>;

/**
 * Who sees a field when the member has not chosen (today's behaviour): the contact person's
 * details only with consent.publicContact, everything else publicly. Consent still gates the
 * contact: without publicContact the contact fields are hidden whatever the choice says.
 */
export function effectiveVisibility(
  field: VisibleField,
  chosen: FieldVisibility | null | undefined,
  consent: { publicContact?: boolean },
): Visibility {
  const isContact = field === 'contactName' || field === 'contactEmail' || field === 'contactPhone';
  if (isContact && consent.publicContact !== true) return 'hidden';
  return chosen?.[field] ?? 'public';
}
