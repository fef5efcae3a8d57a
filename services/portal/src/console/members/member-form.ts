import {
  ContactLanguages,
  FocusAreas,
  OrganisationTypes,
  SizeClasses,
  Visibilities,
  VisibleFields,
} from '@valley/contracts';

/**
 * The coordinator's profile form for `PATCH /members/:id`. Every input holds its value as text
 * (a ticked box `true`, a list joined), so that what the person typed, what the page was made
 * from (`_original`) and what membership holds now compare field by field: only the fields the
 * person changed are sent, and on a 412 only those the other side changed too are conflicts.
 */
export type FieldKind = 'text' | 'textarea' | 'select' | 'checkbox' | 'checkboxes' | 'email' | 'url';

export interface FormField {
  /** The input's name: the API's field (`contact.email`, `visibility.website`). */
  name: string;
  kind: FieldKind;
  /** Select and checkbox-list values, and the locale prefix of their labels. */
  options?: readonly string[];
  vocab?: string;
  required?: boolean;
  maxlength?: number;
}

export const MEMBER_FORM_FIELDS: readonly FormField[] = [
  { name: 'legalName', kind: 'text', required: true, maxlength: 300 },
  { name: 'region', kind: 'text', required: true, maxlength: 100 },
  { name: 'organisationType', kind: 'select', options: OrganisationTypes, vocab: 'vocab.organisationType.' },
  { name: 'sizeClass', kind: 'select', options: SizeClasses, vocab: 'vocab.sizeClass.' },
  { name: 'sectorCodes', kind: 'text', required: true, maxlength: 400 },
  { name: 'focusAreas', kind: 'checkboxes', options: FocusAreas },
  { name: 'website', kind: 'url', maxlength: 300 },
  { name: 'logoUrl', kind: 'url', maxlength: 500 },
  { name: 'description', kind: 'textarea', maxlength: 5000 },
  { name: 'statement', kind: 'textarea', maxlength: 2000 },
  { name: 'contact.name', kind: 'text', required: true, maxlength: 200 },
  { name: 'contact.email', kind: 'email', required: true, maxlength: 254 },
  { name: 'contact.phone', kind: 'text', maxlength: 40 },
  { name: 'contact.language', kind: 'select', options: ContactLanguages, vocab: 'console.members.edit.language.' },
  { name: 'consent.publicListing', kind: 'checkbox' },
  { name: 'consent.announcements', kind: 'checkbox' },
  { name: 'consent.publicContact', kind: 'checkbox' },
  ...VisibleFields.map((field): FormField => ({
    name: `visibility.${field}`,
    kind: 'select',
    options: Visibilities,
    vocab: 'console.members.edit.visibilityValue.',
  })),
];

/** The form's values: one text per field name. */
export type FormValues = Record<string, string>;

/** What membership's GET /members/:id gives that the form shows. */
export interface MemberProfile {
  legalName: string;
  region: string;
  organisationType: string;
  sizeClass: string;
  sectorCodes: string[];
  focusAreas: string[];
  website: string | null;
  logoUrl: string | null;
  description: string | null;
  statement: string | null;
  contact: { name: string; email: string; phone?: string | null; language: string } | null;
  consent: { publicListing: boolean; announcements: boolean; publicContact?: boolean };
  visibility?: Record<string, string>;
  version: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A member's profile as the form's values. */
export function formValuesOf(member: MemberProfile): FormValues {
  const values: FormValues = {
    legalName: member.legalName,
    region: member.region,
    organisationType: member.organisationType,
    sizeClass: member.sizeClass,
    sectorCodes: member.sectorCodes.join(' '),
    focusAreas: [...member.focusAreas].sort().join(','),
    website: text(member.website),
    logoUrl: text(member.logoUrl),
    description: text(member.description),
    statement: text(member.statement),
    'contact.name': text(member.contact?.name),
    'contact.email': text(member.contact?.email),
    'contact.phone': text(member.contact?.phone),
    'contact.language': text(member.contact?.language) || 'lt',
    'consent.publicListing': String(member.consent.publicListing === true),
    'consent.announcements': String(member.consent.announcements === true),
    'consent.publicContact': String(member.consent.publicContact === true),
  };
  for (const field of VisibleFields) values[`visibility.${field}`] = member.visibility?.[field] ?? 'public';
  return values;
}

/** Lines as typed, with Windows line ends made one. */
const lines = (value: string) => value.replace(/\r\n?/g, '\n');

/** The values a posted form holds (urlencoded: a repeated name is a list), normalised as formValuesOf makes them. */
export function formValuesFrom(body: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of MEMBER_FORM_FIELDS) {
    const raw = body[field.name];
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
      (v): v is string => typeof v === 'string',
    );
    const first = list[0] ?? '';
    switch (field.kind) {
      case 'checkbox':
        values[field.name] = String(first === 'true');
        break;
      case 'checkboxes':
        values[field.name] = [...new Set(list)]
          .filter((v) => field.options!.includes(v))
          .sort()
          .join(',');
        break;
      case 'textarea':
        values[field.name] = lines(first).trim();
        break;
      case 'text':
        values[field.name] =
          field.name === 'sectorCodes'
            ? first
                .split(/[\s,;]+/)
                .filter(Boolean)
                .join(' ')
            : first.trim();
        break;
      default:
        values[field.name] = first.trim();
    }
  }
  return values;
}

/** The original values the page was made from (its hidden `_original`); null when missing or not ours. */
export function originalValuesFrom(raw: unknown): FormValues | null {
  if (typeof raw !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const values: FormValues = {};
    for (const field of MEMBER_FORM_FIELDS) {
      const value = (parsed as Record<string, unknown>)[field.name];
      if (typeof value !== 'string') return null;
      values[field.name] = value;
    }
    return values;
  } catch {
    return null;
  }
}

/** The names of the fields whose values differ. */
export function changedFields(from: FormValues, to: FormValues): string[] {
  return MEMBER_FORM_FIELDS.map((f) => f.name).filter((name) => (from[name] ?? '') !== (to[name] ?? ''));
}

/**
 * After a 412: of the fields the person changed, those the other side changed too, to something
 * else than the person typed. Those the person must decide; the rest of their changes stand.
 */
export function conflictingFields(original: FormValues, typed: FormValues, newer: FormValues): string[] {
  return changedFields(original, typed).filter((name) => newer[name] !== original[name] && newer[name] !== typed[name]);
}

/**
 * The PATCH body for the changed fields: texts as they are (an empty optional text is null),
 * lists split, and contact and consent whole (the API replaces them whole) from the typed values.
 */
export function patchBody(values: FormValues, changed: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const optional = (value: string) => (value === '' ? null : value);
  for (const name of changed) {
    const [group, key] = name.split('.');
    if (group === 'contact') {
      const phone = values['contact.phone'];
      body.contact = {
        name: values['contact.name'],
        email: values['contact.email'],
        ...(phone ? { phone } : {}),
        language: values['contact.language'],
      };
    } else if (group === 'consent') {
      body.consent = {
        publicListing: values['consent.publicListing'] === 'true',
        announcements: values['consent.announcements'] === 'true',
        publicContact: values['consent.publicContact'] === 'true',
      };
    } else if (group === 'visibility') {
      body.visibility = { ...(body.visibility as object), [key]: values[name] };
    } else if (name === 'sectorCodes') {
      body.sectorCodes = values.sectorCodes.split(' ').filter(Boolean);
    } else if (name === 'focusAreas') {
      body.focusAreas = values.focusAreas.split(',').filter(Boolean);
    } else if (['website', 'logoUrl', 'description', 'statement'].includes(name)) {
      body[name] = optional(values[name]);
    } else {
      body[name] = values[name];
    }
  }
  return body;
}

/**
 * The values to send after the person resolved conflicts: for each conflicting field, `mine`
 * keeps what they typed, `theirs` takes the newer value. Null names the fields still undecided.
 */
export function resolveConflicts(
  typed: FormValues,
  newer: FormValues,
  conflicts: string[],
  choices: Record<string, unknown>,
): { values: FormValues; undecided: string[] } {
  const values = { ...typed };
  const undecided: string[] = [];
  for (const name of conflicts) {
    const choice = choices[`resolve.${name}`];
    if (choice === 'theirs') values[name] = newer[name];
    else if (choice !== 'mine') undecided.push(name);
  }
  return { values, undecided };
}

/** An API field name (`contact.email`, `sectorCodes.2`, `contact`) as the form's field it belongs to. */
export function formFieldOf(apiField: string): string | null {
  const names = MEMBER_FORM_FIELDS.map((f) => f.name);
  if (names.includes(apiField)) return apiField;
  const parts = apiField.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = parts.slice(0, n).join('.');
    if (names.includes(prefix)) return prefix;
  }
  return names.find((name) => name.startsWith(`${apiField}.`)) ?? null;
}
