import { VisibleField, VisibleFields } from '@valley/contracts';
import { ApiError } from '../upstream';

/**
 * The member's own record as membership's `GET /me` gives it (the fields the account pages read;
 * membership's OpenAPI document has them all).
 */
export interface MeRecord {
  id: string;
  legalName: string;
  registrationCode: string;
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
  contact: { name: string; email: string; phone?: string | null; language?: string };
  consent: { publicListing: boolean; announcements: boolean; publicContact?: boolean };
  visibility: Partial<Record<VisibleField, string>>;
  shownInDirectory: Partial<Record<VisibleField, string>>;
  membershipType: string;
  status: string;
  statusReason: string | null;
  admittedOn: string;
  version: number;
}

/**
 * The account form's fields, named as the fields of `PATCH /me` (`contact.phone`,
 * `visibility.contactPhone`, …) so that the API's 400 `fields` point straight at them. The order
 * is the page's and the error summary's.
 */
export const AccountFields = [
  'legalName',
  'region',
  'organisationType',
  'sizeClass',
  'sectorCodes',
  'focusAreas',
  'website',
  'description',
  'statement',
  'logoUrl',
  'contact.name',
  'contact.email',
  'contact.phone',
  'contact.language',
  'consent.publicListing',
  'consent.publicContact',
  'consent.announcements',
  'visibility.contactName',
  'visibility.contactEmail',
  'visibility.contactPhone',
  'visibility.website',
  'visibility.description',
  'visibility.statement',
  'visibility.logo',
] as const;
export type AccountField = (typeof AccountFields)[number];

const LIST_FIELDS: readonly AccountField[] = ['sectorCodes', 'focusAreas'];
const BOOLEAN_FIELDS: readonly AccountField[] = [
  'consent.publicListing',
  'consent.publicContact',
  'consent.announcements',
];
/** Optional texts: left empty, they are cleared (`null`). */
const OPTIONAL_TEXTS: readonly AccountField[] = ['website', 'description', 'statement', 'logoUrl'];
const MULTILINE: readonly AccountField[] = ['description', 'statement'];

export type FieldKind = 'text' | 'list' | 'boolean';

export function kindOf(field: AccountField): FieldKind {
  if (LIST_FIELDS.includes(field)) return 'list';
  if (BOOLEAN_FIELDS.includes(field)) return 'boolean';
  return 'text';
}

/**
 * Which form a post comes from: the profile form (everything but the email preference), the
 * email preferences form (announcements only), or the conflict form (every field, carried).
 * A field outside the form's scope keeps the value it had when the page was read.
 */
export const FormScopes = {
  profile: AccountFields.filter((f) => f !== 'consent.announcements'),
  email: ['consent.announcements'],
  all: AccountFields,
} as const satisfies Record<string, readonly AccountField[]>;
export type FormScope = keyof typeof FormScopes;

export function scopeOf(form: unknown): FormScope {
  return form === 'email' || form === 'all' ? form : 'profile';
}

export type FieldValue = string | string[] | boolean;
/** Every field's value, normalised (trimmed texts, `''` for none, lists, booleans): what diffs compare. */
export type AccountValues = Record<AccountField, FieldValue>;

/** The values of a field as a form shows them: a visibility field's name without its prefix, and so on. */
export function visibilityField(field: VisibleField): AccountField {
  return `visibility.${field}` as AccountField;
}

/**
 * `c25.62 Manufacture of…` or `C25.62` → `C25.62`: the code at the start of what was picked or typed
 * (the application form's rule; apply/ has no front door to import it from).
 */
export function sectorCode(input: string): string {
  const match = /^\s*([A-Ua-u])(\d{2}(\.\d{1,2})?)?(?=\s|$)/.exec(input);
  return match ? `${match[1].toUpperCase()}${match[2] ?? ''}` : input.trim();
}

const lines = (text: string) => text.replace(/\r\n?/g, '\n').trim();

/** The record as the form's values. */
export function fromRecord(record: MeRecord): AccountValues {
  const values = {
    legalName: record.legalName ?? '',
    region: record.region ?? '',
    organisationType: record.organisationType ?? '',
    sizeClass: record.sizeClass ?? '',
    sectorCodes: [...(record.sectorCodes ?? [])],
    focusAreas: [...(record.focusAreas ?? [])],
    website: record.website ?? '',
    description: lines(record.description ?? ''),
    statement: lines(record.statement ?? ''),
    logoUrl: record.logoUrl ?? '',
    'contact.name': record.contact?.name ?? '',
    'contact.email': record.contact?.email ?? '',
    'contact.phone': record.contact?.phone ?? '',
    'contact.language': record.contact?.language ?? 'lt',
    'consent.publicListing': record.consent?.publicListing === true,
    'consent.publicContact': record.consent?.publicContact === true,
    'consent.announcements': record.consent?.announcements === true,
  } as Partial<AccountValues>;
  for (const field of VisibleFields) values[visibilityField(field)] = record.visibility?.[field] ?? 'public';
  return values as AccountValues;
}

function withScheme(url: string): string {
  return url !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? `https://${url}` : url;
}

/** One field of the posted form, normalised as fromRecord normalises the record. */
function posted(body: Record<string, unknown>, field: AccountField): FieldValue {
  const raw = body[field];
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .filter((v): v is string => typeof v === 'string')
    .slice(0, 50);
  switch (kindOf(field)) {
    case 'boolean':
      return list.some((v) => v.trim() !== '');
    case 'list': {
      const items = list.map((v) => v.trim()).filter((v) => v !== '');
      return [...new Set(field === 'sectorCodes' ? items.map(sectorCode) : items)];
    }
    default: {
      const text = (list[0] ?? '').slice(0, 10_000);
      if (MULTILINE.includes(field)) return lines(text);
      const one = text.trim();
      return field === 'website' || field === 'logoUrl' ? withScheme(one) : one;
    }
  }
}

/**
 * What the browser sent, as values: the fields of the form's scope as posted (an unticked
 * checkbox sends nothing: false), every other field as it was when the page was read (`base`).
 */
export function fromForm(body: unknown, scope: FormScope, base: AccountValues): AccountValues {
  const values = { ...base };
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  for (const field of FormScopes[scope]) values[field] = posted(record, field);
  return values;
}

export function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = [...a].sort();
    const y = [...b].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** The fields whose value differs (lists compared as sets), in the form's order. */
export function changedFields(from: AccountValues, to: AccountValues): AccountField[] {
  return AccountFields.filter((field) => !sameValue(from[field], to[field]));
}

/**
 * The `PATCH /me` body for the changed fields: a changed contact or consent field sends the whole
 * contact or consent (the API takes them whole), visibility only the fields that changed, an
 * optional text left empty `null`. Required texts left empty go as they are, for the API to name.
 */
export function toPatch(values: AccountValues, changed: readonly AccountField[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of changed) {
    if (field.startsWith('contact.')) {
      const phone = values['contact.phone'] as string;
      body.contact = {
        name: values['contact.name'],
        email: values['contact.email'],
        ...(phone ? { phone } : {}),
        language: values['contact.language'],
      };
    } else if (field.startsWith('consent.')) {
      body.consent = {
        publicListing: values['consent.publicListing'],
        announcements: values['consent.announcements'],
        publicContact: values['consent.publicContact'],
      };
    } else if (field.startsWith('visibility.')) {
      body.visibility = { ...(body.visibility as object), [field.slice('visibility.'.length)]: values[field] };
    } else if (OPTIONAL_TEXTS.includes(field)) {
      body[field] = values[field] === '' ? null : values[field];
    } else {
      body[field] = values[field];
    }
  }
  return body;
}

/**
 * The values the page was read with travel in the form (`base`, with `version`): on a 412 they
 * tell which fields the member changed and which someone else changed meanwhile. A tampered base
 * can only make the portal send more or fewer of the member's own fields; If-Match still decides.
 */
export function encodeBase(values: AccountValues): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeBase(encoded: unknown): AccountValues | null {
  if (typeof encoded !== 'string' || encoded.length > 60_000) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const source = parsed as Record<string, unknown>;
  const values = {} as AccountValues;
  for (const field of AccountFields) {
    const value = source[field];
    const kind = kindOf(field);
    if (kind === 'boolean' && typeof value === 'boolean') values[field] = value;
    else if (kind === 'list' && Array.isArray(value) && value.every((v) => typeof v === 'string'))
      values[field] = value;
    else if (kind === 'text' && typeof value === 'string') values[field] = value;
    else return null;
  }
  return values;
}

/** `"7"` from If-Match's view: the version a form was read at, or null. */
export function parseVersion(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** A field someone else changed meanwhile that the member changed too, to something else. */
export interface Conflict {
  field: AccountField;
  /** What the member typed. */
  mine: FieldValue;
  /** What is stored now. */
  theirs: FieldValue;
}

export interface Merge {
  /** The newer stored values with the member's changes on top: what the conflict form carries. */
  merged: AccountValues;
  /** Fields both changed, differently: the member picks one value or the other. */
  conflicts: Conflict[];
  /** Fields only the member changed: kept as typed. */
  yours: AccountField[];
  /** Fields only someone else changed: kept as they are now. */
  theirs: AccountField[];
}

/**
 * The three-way view of a 412: `base` what the member's page was read with, `mine` what they
 * sent, `current` what is stored now. Nothing is dropped: the member's changes stay, the other
 * person's stay, and where both changed one field differently, the member is asked.
 */
export function merge(base: AccountValues, mine: AccountValues, current: AccountValues): Merge {
  const merged = { ...current };
  const conflicts: Conflict[] = [];
  const yours: AccountField[] = [];
  for (const field of changedFields(base, mine)) {
    if (sameValue(current[field], mine[field])) continue;
    merged[field] = mine[field];
    if (sameValue(current[field], base[field])) yours.push(field);
    else conflicts.push({ field, mine: mine[field], theirs: current[field] });
  }
  const mineChanged = changedFields(base, mine);
  // Only someone else's: fields the member left as they were (a change both made alike is no news).
  const theirs = changedFields(base, current).filter((field) => !mineChanged.includes(field));
  return { merged, conflicts, yours, theirs };
}

/** The radio of a conflicting field on the conflict form: `keep.<field>` = `mine` | `theirs`. */
export function keepName(field: AccountField): string {
  return `keep.${field}`;
}

/**
 * The conflict form's choices applied: a field kept as stored takes the stored value (`base` of
 * the conflict form is the record as stored then). The fields left without a choice are returned.
 */
export function applyChoices(
  body: unknown,
  conflicts: readonly AccountField[],
  values: AccountValues,
  stored: AccountValues,
): { values: AccountValues; unchosen: AccountField[] } {
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const result = { ...values };
  const unchosen: AccountField[] = [];
  for (const field of conflicts) {
    const choice = record[keepName(field)];
    if (choice === 'theirs') result[field] = stored[field];
    else if (choice !== 'mine') unchosen.push(field);
  }
  return { values: result, unchosen };
}

/** The conflict form's list of conflicting fields (`conflicts`: comma-separated), only real fields. */
export function parseConflicts(value: unknown): AccountField[] {
  if (typeof value !== 'string') return [];
  return value.split(',').filter((f): f is AccountField => (AccountFields as readonly string[]).includes(f));
}

/** The form field an API field path belongs to: `sectorCodes.2` → `sectorCodes`, `contact` → `contact.name`. */
export function accountFieldOf(apiField: string): AccountField | null {
  const known = (f: string): f is AccountField => (AccountFields as readonly string[]).includes(f);
  if (known(apiField)) return apiField;
  const parent = apiField.replace(/\.\d+$/, '');
  if (known(parent)) return parent;
  if (apiField === 'contact') return 'contact.name';
  if (apiField === 'consent') return 'consent.publicListing';
  if (apiField === 'visibility') return 'visibility.contactName';
  return null;
}

/** One error to show beside its field and in the summary, as a message key. */
export interface AccountFieldError {
  field: AccountField;
  key: string;
}

/** Fields with messages of their own (`account.errors.<field>.required|invalid`); others get the general one. */
const OWN_MESSAGES: Partial<Record<AccountField, { required?: true; invalid?: true }>> = {
  legalName: { required: true },
  region: { required: true },
  sectorCodes: { required: true, invalid: true },
  focusAreas: { required: true },
  website: { invalid: true },
  logoUrl: { invalid: true },
  description: { invalid: true },
  statement: { invalid: true },
  'contact.name': { required: true },
  'contact.email': { invalid: true },
  'contact.phone': { invalid: true },
};

/**
 * The API's 400 as messages, one per field, in the form's order: an empty required field is asked
 * for, a bad one says what it must be; a field the form does not have gets the general message.
 */
export function accountFieldErrors(error: ApiError, values: AccountValues): AccountFieldError[] {
  const fields = new Set<AccountField>();
  let unknown = false;
  for (const entry of error.fields ?? []) {
    const field = accountFieldOf(entry.field);
    if (field) fields.add(field);
    else unknown = true;
  }
  const errors = AccountFields.filter((f) => fields.has(f)).map((field) => {
    const value = values[field];
    const empty = Array.isArray(value) ? value.length === 0 : value === '';
    const own = OWN_MESSAGES[field];
    const kind = empty && own?.required ? 'required' : 'invalid';
    return { field, key: own?.[kind] ? `account.errors.${field}.${kind}` : 'account.errors.field' };
  });
  if (unknown || errors.length === 0) errors.push({ field: 'legalName', key: 'account.errors.general' });
  return errors;
}

/** The id of a field's input (the first of a group): what the error summary links to. */
export function accountFieldId(field: AccountField): string {
  return field.replace(/\./g, '-');
}
