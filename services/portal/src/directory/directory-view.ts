import { naceEntry } from '@valley/contracts';
import { countryName, formatNumber } from '../i18n';
import { Locale } from '../i18n';
import { DirectoryPage, FacetName, FacetValue } from '../upstream';
import { DirectorySearch, hasFilters, ListFilter, ListFilters, portalUrl, without } from './directory-search';

/** The labels of vocabulary values, in the reader's language (from the locale and content files). */
export interface Labels {
  focusArea(key: string): string;
  organisationType(key: string): string;
  sizeClass(key: string): string;
  facet(name: ListFilter | 'since'): string;
}

export interface FacetOption {
  id: string;
  value: string;
  label: string;
  count: number;
  countText: string;
  checked: boolean;
  /** A NACE division under its section. */
  nested: boolean;
}

export interface FacetView {
  name: ListFilter | 'since';
  legend: string;
  type: 'checkbox' | 'radio';
  options: FacetOption[];
  /** Open in the filter panel: something is chosen, or the list is short. */
  open: boolean;
}

export interface ActiveFilter {
  label: string;
  removeHref: string;
}

const FACET_OF: Record<ListFilter, FacetName> = {
  sector: 'sector',
  region: 'region',
  country: 'country',
  focusArea: 'focusArea',
  organisationType: 'organisationType',
  sizeClass: 'sizeClass',
};

/** `C26` → "C26 Manufacture of computer, electronic and optical products". */
export function sectorLabel(code: string): string {
  const title = naceEntry(code)?.title;
  return title ? `${code} ${title}` : code;
}

function valueLabel(name: ListFilter, value: string, locale: Locale, labels: Labels): string {
  switch (name) {
    case 'sector':
      return sectorLabel(value);
    case 'country':
      return countryName(locale, value);
    case 'focusArea':
      return labels.focusArea(value);
    case 'organisationType':
      return labels.organisationType(value);
    case 'sizeClass':
      return labels.sizeClass(value);
    case 'region':
      return value;
  }
}

/**
 * The filter panel: every facet with its values and counts as the API counted them (each facet
 * under the other filters, not its own), the chosen values checked and shown even when the
 * search leaves none of them. Sectors in code order: the sections, and under a chosen one its divisions.
 */
export function facetViews(
  page: Pick<DirectoryPage, 'facets'>,
  search: DirectorySearch,
  locale: Locale,
  labels: Labels,
): FacetView[] {
  const views: FacetView[] = ListFilters.map((name) => {
    const counted: FacetValue[] = page.facets?.[FACET_OF[name]] ?? [];
    const chosen = search.filters[name];
    let values = [
      ...counted,
      ...chosen.filter((v) => !counted.some((c) => c.value === v)).map((value) => ({ value, count: 0 })),
    ];
    if (name === 'sector') {
      // Sections, and the divisions of a section only once it (or one of them) is chosen: a drill-down,
      // which keeps the page light (all 21 sections and 88 divisions would be a third of it).
      const open = new Set(chosen.map((code) => code[0]));
      values = values
        .filter(({ value }) => value.length === 1 || open.has(value[0]))
        .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    }
    const options = values.map(({ value, count }) => ({
      id: `f-${name}-${value.replace(/[^A-Za-z0-9]/g, '_')}`,
      value,
      label: valueLabel(name, value, locale, labels),
      count,
      countText: formatNumber(locale, count),
      checked: chosen.includes(value),
      nested: name === 'sector' && value.length > 1,
    }));
    return {
      name,
      legend: labels.facet(name),
      type: 'checkbox' as const,
      options,
      open: chosen.length > 0 || options.length <= 8,
    };
  });
  const years = [...(page.facets?.memberSinceYear ?? [])].sort((a, b) => a.value.localeCompare(b.value));
  if (search.since && !years.some((y) => y.value === search.since)) years.push({ value: search.since, count: 0 });
  views.push({
    name: 'since',
    legend: labels.facet('since'),
    type: 'radio',
    options: years.map(({ value, count }) => ({
      id: `f-since-${value}`,
      value,
      label: value,
      count,
      countText: formatNumber(locale, count),
      checked: search.since === value,
      nested: false,
    })),
    open: true,
  });
  return views.filter((view) => view.options.length > 0);
}

/** The chosen filters as links that remove them (also what an empty result suggests). */
export function activeFilters(search: DirectorySearch, locale: Locale, labels: Labels): ActiveFilter[] {
  const active: ActiveFilter[] = [];
  for (const name of ListFilters) {
    for (const value of search.filters[name]) {
      active.push({
        label: `${labels.facet(name)}: ${valueLabel(name, value, locale, labels)}`,
        removeHref: portalUrl(without(search, name, value)),
      });
    }
  }
  if (search.since) {
    active.push({
      label: `${labels.facet('since')}: ${search.since}`,
      removeHref: portalUrl(without(search, 'since')),
    });
  }
  return active;
}

export { hasFilters };
