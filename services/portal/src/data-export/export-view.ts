/** A value of an export, ready for the page: text, a moment, yes or no, a list, a record of named fields, or nothing. */
export type ExportNode =
  | { text: string }
  | { moment: string }
  | { yes: true }
  | { no: true }
  | { items: ExportNode[] }
  | { fields: { name: string; value: ExportNode }[] }
  | { none: true };

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The JSON as nested lists and definition lists, in its own order and with its own field names
 * (those of the JSON file, so that the page and the download can be read side by side). Moments
 * become `{ moment }` for the page's date format, booleans yes or no in the page's language; null,
 * empty lists and empty records "none".
 */
export function toExportNode(value: unknown): ExportNode {
  if (value === null || value === undefined) return { none: true };
  if (Array.isArray(value)) {
    return value.length === 0 ? { none: true } : { items: value.map(toExportNode) };
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return { none: true };
    return { fields: entries.map(([name, v]) => ({ name, value: toExportNode(v) })) };
  }
  if (typeof value === 'string' && ISO_MOMENT.test(value)) return { moment: value };
  if (typeof value === 'boolean') return value ? { yes: true } : { no: true };
  return { text: String(value) };
}
