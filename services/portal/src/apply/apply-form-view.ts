import { FocusAreas, naceEntries, OrganisationTypes, SizeClasses } from '@valley/contracts';
import { Cluster } from '../content';
import { countriesByName } from '../i18n';
import { Locale, Locales } from '../i18n';
import { Messages } from '../i18n';
import { FieldError, fieldId, FormField, FormValues, many, text } from './application-form';

interface Choice {
  id: string;
  value: string;
  label: string;
  hint?: string;
  checked: boolean;
}

let naceOptions: { code: string; title: string }[] | null = null;

/** Every NACE Rev. 2 code with its title, for the sector picker's list (searchable by both). */
function nace(): { code: string; title: string }[] {
  naceOptions ??= naceEntries().map((e) => ({ code: e.code, title: e.title }));
  return naceOptions;
}

/**
 * Everything the form template shows: per field its name, id, value as typed and error, and the
 * choices of the radios, checkboxes and lists in the reader's language.
 */
export function applyFormModel(
  values: FormValues,
  errors: FieldError[],
  locale: Locale,
  messages: Messages,
  cluster: Cluster,
) {
  const t = (key: string) => messages.t(locale, key);
  const errorOf = (field: FormField) => {
    const error = errors.find((e) => e.field === field);
    return error ? t(error.key) : undefined;
  };
  const field = (name: FormField) => ({ name, id: fieldId(name), value: text(values, name), error: errorOf(name) });
  const choices = (name: FormField, options: { value: string; label: string; hint?: string }[]): Choice[] => {
    const chosen = many(values, name);
    return options.map((option, i) => ({
      ...option,
      id: i === 0 ? fieldId(name) : `${fieldId(name)}-${option.value}`,
      checked: chosen.includes(option.value),
    }));
  };
  const country = text(values, 'country') || 'LT';
  const typedSectors = many(values, 'sectorCodes');
  const sectorInputs = Array.from({ length: Math.max(3, typedSectors.length + 1) }, (_, i) => ({
    id: i === 0 ? 'sectorCodes' : `sectorCodes-${i + 1}`,
    number: i + 1,
    value: typedSectors[i] ?? '',
  }));
  return {
    errorSummary: errors.map((e) => ({ href: `#${fieldId(e.field)}`, text: t(e.key) })),
    fields: {
      legalName: field('legalName'),
      registrationCode: field('registrationCode'),
      country: {
        ...field('country'),
        options: countriesByName(locale).map((c) => ({ ...c, selected: c.code === country })),
      },
      region: field('region'),
      organisationType: {
        ...field('organisationType'),
        choices: choices(
          'organisationType',
          OrganisationTypes.map((value) => ({ value, label: t(`vocab.organisationType.${value}`) })),
        ),
      },
      sizeClass: {
        ...field('sizeClass'),
        choices: choices(
          'sizeClass',
          SizeClasses.map((value) => ({
            value,
            label: t(`vocab.sizeClass.${value}`),
            hint: t(`apply.sizeClass.hints.${value}`),
          })),
        ),
      },
      sectorCodes: { ...field('sectorCodes'), inputs: sectorInputs },
      focusAreas: {
        ...field('focusAreas'),
        choices: choices(
          'focusAreas',
          FocusAreas.map((value) => ({
            value,
            label: cluster.focusAreaTitle(locale, value),
            hint: cluster.in(locale).focusAreas.find((a) => a.key === value)?.text,
          })),
        ),
      },
      website: field('website'),
      description: field('description'),
      motivation: field('motivation'),
      contactName: field('contact.name'),
      contactEmail: field('contact.email'),
      contactPhone: field('contact.phone'),
      contactLanguage: {
        ...field('contact.language'),
        choices: choices(
          'contact.language',
          Locales.map((value) => ({ value, label: t(`language.${value}`) })),
        ).map((c) => ({
          ...c,
          checked: c.checked || (many(values, 'contact.language').length === 0 && c.value === locale),
        })),
      },
      publicListing: { ...field('consent.publicListing'), checked: many(values, 'consent.publicListing').length > 0 },
      announcements: { ...field('consent.announcements'), checked: many(values, 'consent.announcements').length > 0 },
    },
    nace: nace(),
    regions: cluster.in(locale).regions,
  };
}
