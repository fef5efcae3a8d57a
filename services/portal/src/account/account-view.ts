import {
  FocusAreas,
  naceEntries,
  OrganisationTypes,
  SizeClasses,
  Visibilities,
  VisibleFields,
} from '@valley/contracts';
import { Cluster } from '../content';
import { Locale, Locales, Messages } from '../i18n';
import { HistoryEntry } from '../upstream';
import {
  AccountField,
  AccountFields,
  AccountFieldError,
  accountFieldId,
  AccountValues,
  FieldValue,
  keepName,
  MeRecord,
  Merge,
  visibilityField,
} from './account-form';

interface Choice {
  id: string;
  value: string;
  label: string;
  hint?: string;
  checked: boolean;
}

let naceOptions: { code: string; title: string }[] | null = null;

/** Every NACE Rev. 2 code with its title, for the sector inputs' list. */
export function naceList(): { code: string; title: string }[] {
  naceOptions ??= naceEntries().map((e) => ({ code: e.code, title: e.title }));
  return naceOptions;
}

/** Texts and labels in the reader's language, for the models the account pages show. */
export class AccountTexts {
  constructor(
    private readonly locale: Locale,
    private readonly messages: Messages,
    private readonly cluster: Cluster,
  ) {}

  t(key: string, params?: Record<string, string | number>): string {
    return this.messages.t(this.locale, key, params);
  }

  has(key: string): boolean {
    return this.messages.has(this.locale, key);
  }

  /** A field's name as the page labels it. */
  label(field: AccountField): string {
    return this.t(`account.labels.${field}`);
  }

  /** A value as words: lists joined, yes or no, a visibility or vocabulary value by its label, "(empty)". */
  value(field: AccountField, value: FieldValue): string {
    if (typeof value === 'boolean') return this.t(value ? 'account.value.yes' : 'account.value.no');
    if (Array.isArray(value)) {
      if (value.length === 0) return this.t('account.value.empty');
      const label = (v: string) => (field === 'focusAreas' ? this.cluster.focusAreaTitle(this.locale, v) : v);
      return value.map(label).join('; ');
    }
    if (value === '') return this.t('account.value.empty');
    if (field.startsWith('visibility.')) return this.t(`account.visibility.choice.${value}`);
    const vocab: Partial<Record<AccountField, string>> = {
      organisationType: 'vocab.organisationType.',
      sizeClass: 'vocab.sizeClass.',
      'contact.language': 'language.',
    };
    const prefix = vocab[field];
    if (prefix && this.messages.has(this.locale, `${prefix}${value}`)) return this.t(`${prefix}${value}`);
    return value;
  }
}

/** Everything the profile form shows: per field its name, id, value and error, and the choices. */
export function accountFormModel(
  values: AccountValues,
  errors: AccountFieldError[],
  texts: AccountTexts,
  cluster: Cluster,
  locale: Locale,
) {
  const errorOf = (field: AccountField) => {
    const error = errors.find((e) => e.field === field);
    return error ? texts.t(error.key) : undefined;
  };
  const text = (name: AccountField) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const field = (name: AccountField) => ({ name, id: accountFieldId(name), value: text(name), error: errorOf(name) });
  const choices = (name: AccountField, options: { value: string; label: string; hint?: string }[]): Choice[] => {
    const value = values[name];
    const chosen = Array.isArray(value) ? value : [String(value)];
    return options.map((option, i) => ({
      ...option,
      id: i === 0 ? accountFieldId(name) : `${accountFieldId(name)}-${option.value}`,
      checked: chosen.includes(option.value),
    }));
  };
  const sectors = values.sectorCodes as string[];
  const sectorInputs = Array.from({ length: Math.max(3, sectors.length + 1) }, (_, i) => ({
    id: i === 0 ? 'sectorCodes' : `sectorCodes-${i + 1}`,
    number: i + 1,
    value: sectors[i] ?? '',
  }));
  const checkbox = (name: AccountField) => ({ ...field(name), checked: values[name] === true });
  return {
    errorSummary: errors.map((e) => ({ href: `#${accountFieldId(e.field)}`, text: texts.t(e.key) })),
    fields: {
      legalName: field('legalName'),
      region: field('region'),
      organisationType: {
        ...field('organisationType'),
        choices: choices(
          'organisationType',
          OrganisationTypes.map((value) => ({ value, label: texts.t(`vocab.organisationType.${value}`) })),
        ),
      },
      sizeClass: {
        ...field('sizeClass'),
        choices: choices(
          'sizeClass',
          SizeClasses.map((value) => ({ value, label: texts.t(`vocab.sizeClass.${value}`) })),
        ),
      },
      sectorCodes: { ...field('sectorCodes'), inputs: sectorInputs },
      focusAreas: {
        ...field('focusAreas'),
        choices: choices(
          'focusAreas',
          FocusAreas.map((value) => ({ value, label: cluster.focusAreaTitle(locale, value) })),
        ),
      },
      website: field('website'),
      description: field('description'),
      statement: field('statement'),
      logoUrl: field('logoUrl'),
      contactName: field('contact.name'),
      contactEmail: field('contact.email'),
      contactPhone: field('contact.phone'),
      contactLanguage: {
        ...field('contact.language'),
        choices: choices(
          'contact.language',
          Locales.map((value) => ({ value, label: texts.t(`language.${value}`) })),
        ),
      },
      publicListing: checkbox('consent.publicListing'),
      publicContact: checkbox('consent.publicContact'),
      announcements: checkbox('consent.announcements'),
    },
    visibility: VisibleFields.map((visible) => {
      const name = visibilityField(visible);
      return {
        ...field(name),
        legend: texts.label(name),
        contact: visible.startsWith('contact'),
        choices: choices(
          name,
          Visibilities.map((value) => ({
            value,
            label: texts.t(`account.visibility.choice.${value}`),
          })),
        ),
      };
    }),
    nace: naceList(),
    regions: cluster.in(locale).regions,
  };
}

/**
 * What the directory applies of each choice (shownInDirectory), where it differs from the choice:
 * the contact fields stay hidden without consent to show the contact.
 */
export function directoryNotes(record: MeRecord, texts: AccountTexts): { field: string; text: string }[] {
  return VisibleFields.filter(
    (f) => record.shownInDirectory?.[f] && record.shownInDirectory[f] !== (record.visibility?.[f] ?? 'public'),
  ).map((f) => ({
    field: texts.label(visibilityField(f)),
    text: texts.t(`account.visibility.choice.${record.shownInDirectory[f]}`),
  }));
}

/** The record as read-only facts (a suspended member's page): label and value per field. */
export function readOnlyModel(values: AccountValues, texts: AccountTexts) {
  const row = (field: AccountField) => ({ label: texts.label(field), value: texts.value(field, values[field]) });
  /** The form's fields of one part, in the form's order: `contact.…`, `consent.…`, or (null) the profile's. */
  const part = (prefix: 'contact' | 'consent' | null) =>
    AccountFields.filter((f) => (prefix ? f.startsWith(`${prefix}.`) : !f.includes('.'))).map(row);
  return {
    profile: part(null),
    contact: part('contact'),
    consent: part('consent'),
    visibility: VisibleFields.map((f) => row(visibilityField(f))),
  };
}

/** Hidden inputs that carry values through the conflict form, named as the profile form's inputs. */
export function hiddenInputs(values: AccountValues): { name: string; value: string }[] {
  return (Object.keys(values) as AccountField[]).flatMap((name) => {
    const value = values[name];
    if (typeof value === 'boolean') return value ? [{ name, value: 'true' }] : [];
    if (Array.isArray(value)) return value.map((v) => ({ name, value: v }));
    return [{ name, value }];
  });
}

/** The conflict page: per conflicting field what the member typed and what is stored now, with the choice. */
export function conflictModel(result: Merge, texts: AccountTexts, unchosen: AccountField[] = []) {
  const error = texts.t('account.conflict.chooseError');
  return {
    errorSummary: unchosen.map((field) => ({
      href: `#${accountFieldId(field)}-mine`,
      text: `${texts.label(field)}: ${error}`,
    })),
    conflicts: result.conflicts.map((c) => ({
      id: accountFieldId(c.field),
      name: keepName(c.field),
      label: texts.label(c.field),
      mine: texts.value(c.field, c.mine),
      theirs: texts.value(c.field, c.theirs),
      error: unchosen.includes(c.field) ? error : undefined,
    })),
    yours: result.yours.map((field) => ({
      label: texts.label(field),
      value: texts.value(field, result.merged[field]),
    })),
    theirs: result.theirs.map((field) => ({
      label: texts.label(field),
      value: texts.value(field, result.merged[field]),
    })),
    hidden: hiddenInputs(result.merged),
    conflictList: result.conflicts.map((c) => c.field).join(','),
  };
}

/** API field names in a history reason (`changed: description, visibility`), as the page names them. */
const HISTORY_FIELDS: Record<string, string> = {
  legalName: 'legalName',
  region: 'region',
  organisationType: 'organisationType',
  sizeClass: 'sizeClass',
  sectorCodes: 'sectorCodes',
  focusAreas: 'focusAreas',
  website: 'website',
  description: 'description',
  statement: 'statement',
  logoUrl: 'logoUrl',
  contact: 'contact',
  consent: 'consent',
  visibility: 'visibility',
};

/**
 * GET /me/history as the page shows it: what happened, who (the member's own address as "you",
 * other addresses as they are, anything else as the coordinator), when, and why; a profile change
 * names the changed parts in the reader's words.
 */
export function historyModel(entries: HistoryEntry[], signedInEmail: string | undefined, texts: AccountTexts) {
  return [...entries].reverse().map((entry) => {
    const action = `account.history.actions.${entry.action}`;
    let actor: string;
    if (entry.actor === 'system') actor = texts.t('account.history.actor.system');
    else if (signedInEmail && entry.actor.toLowerCase() === signedInEmail.toLowerCase())
      actor = texts.t('account.history.actor.you', { email: entry.actor });
    else if (entry.actor.includes('@')) actor = entry.actor;
    else actor = texts.t('account.history.actor.coordinator');
    let reason = entry.reason;
    const changed = entry.action === 'profile_updated' && reason ? /^changed: (.+)$/.exec(reason) : null;
    if (changed) {
      const parts = changed[1].split(', ').map((f) => (HISTORY_FIELDS[f] ? texts.t(`account.history.fields.${f}`) : f));
      reason = texts.t('account.history.changed', { fields: parts.join(', ') });
    }
    return {
      at: entry.at,
      what: texts.has(action) ? texts.t(action) : entry.action,
      actor,
      reason,
    };
  });
}
