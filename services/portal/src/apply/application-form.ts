import { isLithuanianCompanyCode } from '@valley/contracts';
import { ApiError } from '../upstream';

/**
 * The application form: its inputs are named as the fields of `POST /applications`
 * (`legalName`, `contact.email`, `consent.publicListing`, …), so that the API's 400 `fields`
 * point straight at them. The form's order is the error summary's order.
 */
export const FormFields = [
  'legalName',
  'registrationCode',
  'country',
  'region',
  'organisationType',
  'sizeClass',
  'sectorCodes',
  'focusAreas',
  'website',
  'description',
  'motivation',
  'contact.name',
  'contact.email',
  'contact.phone',
  'contact.language',
  'consent.publicListing',
  'consent.announcements',
] as const;
export type FormField = (typeof FormFields)[number];

/** What the browser sent: text inputs as strings, repeated inputs and checkboxes as lists. */
export type FormValues = Partial<Record<FormField, string | string[]>>;

export interface ApplicationBody {
  legalName: string;
  registrationCode: string;
  country: string;
  region: string;
  organisationType?: string;
  sizeClass?: string;
  sectorCodes: string[];
  focusAreas: string[];
  website?: string;
  description?: string;
  motivation?: string;
  contact: { name: string; email: string; phone?: string; language?: string };
  consent: { publicListing: boolean; announcements: boolean };
}

/** One error to show: beside its field and in the summary, as a message key of the locale files. */
export interface FieldError {
  field: FormField;
  key: string;
}

export function text(values: FormValues, field: FormField): string {
  const value = values[field];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

export function many(values: FormValues, field: FormField): string[] {
  const value = values[field];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v) => v.trim()).filter((v) => v !== '');
}

/** Only the form's own fields, as strings or lists of strings (the CSRF token and anything else dropped). */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (!body || typeof body !== 'object') return values;
  for (const field of FormFields) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value.slice(0, 10_000);
    else if (Array.isArray(value)) values[field] = value.filter((v) => typeof v === 'string').slice(0, 50);
  }
  return values;
}

/** `c25.62 Manufacture of…` or `C25.62` → `C25.62`: the code at the start of what was picked or typed. */
export function sectorCode(input: string): string {
  const match = /^\s*([A-Ua-u])(\d{2}(\.\d{1,2})?)?(?=\s|$)/.exec(input);
  return match ? `${match[1].toUpperCase()}${match[2] ?? ''}` : input.trim();
}

/**
 * The form as the API's body. Optional texts left empty are left out (the API takes no empty
 * website), a website typed without its scheme gets https://, spaces leave the company code,
 * unticked checkboxes are false. Required fields left empty are sent empty, so that the API
 * names them as it names every other bad field.
 */
export function toApplicationBody(values: FormValues): ApplicationBody {
  const optional = (field: FormField) => {
    const value = text(values, field);
    return value === '' ? undefined : value;
  };
  let website = optional('website');
  if (website && !/^[a-z][a-z0-9+.-]*:/i.test(website)) website = `https://${website}`;
  const phone = optional('contact.phone');
  const body: ApplicationBody = {
    legalName: text(values, 'legalName'),
    registrationCode: text(values, 'registrationCode').replace(/\s+/g, ''),
    country: text(values, 'country').toUpperCase(),
    region: text(values, 'region'),
    organisationType: optional('organisationType'),
    sizeClass: optional('sizeClass'),
    sectorCodes: [...new Set(many(values, 'sectorCodes').map(sectorCode))],
    focusAreas: [...new Set(many(values, 'focusAreas'))],
    website,
    description: optional('description'),
    motivation: optional('motivation'),
    contact: {
      name: text(values, 'contact.name'),
      email: text(values, 'contact.email'),
      ...(phone ? { phone } : {}),
      language: optional('contact.language'),
    },
    consent: {
      publicListing: many(values, 'consent.publicListing').length > 0,
      announcements: many(values, 'consent.announcements').length > 0,
    },
  };
  for (const key of Object.keys(body) as (keyof ApplicationBody)[]) if (body[key] === undefined) delete body[key];
  if (body.contact.language === undefined) delete body.contact.language;
  return body;
}

/** The form field an API field path belongs to: `sectorCodes.2` → `sectorCodes`, `contact` → `contact.name`. */
export function formFieldOf(apiField: string): FormField | null {
  if ((FormFields as readonly string[]).includes(apiField)) return apiField as FormField;
  const parent = apiField.replace(/\.\d+$/, '');
  if ((FormFields as readonly string[]).includes(parent)) return parent as FormField;
  if (apiField === 'contact') return 'contact.name';
  if (apiField === 'consent') return 'consent.publicListing';
  return null;
}

/**
 * The API's 400 as messages for the reader, one per field, in the form's order. The message
 * says what to do in the reader's words, not the API's: empty fields are asked for, the company
 * code says whether its length or its check digit is wrong. A field the form does not have gets
 * the general message.
 */
export function fieldErrors(error: ApiError, values: FormValues): FieldError[] {
  const fields = new Set<FormField>();
  let unknown = false;
  for (const entry of error.fields ?? []) {
    const field = formFieldOf(entry.field);
    if (field) fields.add(field);
    else unknown = true;
  }
  const errors = FormFields.filter((f) => fields.has(f)).map((field) => ({ field, key: messageKey(field, values) }));
  if (unknown || errors.length === 0) errors.push({ field: 'legalName', key: 'apply.errors.general' });
  return errors;
}

function messageKey(field: FormField, values: FormValues): string {
  const empty =
    field === 'sectorCodes' || field === 'focusAreas' ? many(values, field).length === 0 : text(values, field) === '';
  if (field === 'registrationCode') {
    const code = text(values, field).replace(/\s+/g, '');
    if (code === '') return 'apply.errors.registrationCode.required';
    if (text(values, 'country').toUpperCase() !== 'LT') return 'apply.errors.registrationCode.invalid';
    if (!/^\d{9}$/.test(code)) return 'apply.errors.registrationCode.ltLength';
    return isLithuanianCompanyCode(code)
      ? 'apply.errors.registrationCode.invalid'
      : 'apply.errors.registrationCode.ltCheckDigit';
  }
  return `apply.errors.${field}.${empty ? 'required' : 'invalid'}`;
}

/** A refusal that is not about one field: 409 (already applied or a member), 413. */
export function refusalKey(status: number, error: ApiError): string {
  if (status === 409 && error.code === 'ALREADY_MEMBER') return 'apply.errors.alreadyMember';
  if (status === 409) return 'apply.errors.alreadyApplied';
  if (status === 413) return 'apply.errors.tooLarge';
  return 'apply.errors.general';
}

/** The id of a field's input (the first one of a group): what the error summary links to. */
export function fieldId(field: FormField): string {
  return field.replace(/\./g, '-');
}
