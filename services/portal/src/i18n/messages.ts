import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTL_LOCALE, Locale, Locales } from './locale';

/** A message: text with `{name}` placeholders, or plural forms chosen by `count` (Intl.PluralRules). */
type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
interface MessageTree {
  [key: string]: Message | MessageTree;
}
export type MessageParams = Record<string, string | number | null | undefined>;

export const LOCALES_DIR = join(__dirname, '..', '..', 'locales');

const PLURAL_FORMS = new Set<string>(['zero', 'one', 'two', 'few', 'many', 'other']);

function isPlural(node: Message | MessageTree): node is Partial<Record<Intl.LDMLPluralRule, string>> {
  return (
    typeof node === 'object' && Object.keys(node).length > 0 && Object.keys(node).every((k) => PLURAL_FORMS.has(k))
  );
}

/** Every key of a message tree, dotted (`apply.legalName.label`); plural messages count as one. */
export function messageKeys(tree: MessageTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, node]) =>
    typeof node === 'string' || isPlural(node) ? [`${prefix}${key}`] : messageKeys(node, `${prefix}${key}.`),
  );
}

/**
 * Every text of the portal, from `locales/<locale>.json`. A missing key is a bug, not a blank:
 * `t` throws, and a unit test checks that both languages have the same keys and that every key
 * the templates use exists.
 */
export class Messages {
  private readonly flat: Record<Locale, Map<string, Message>>;
  private readonly plurals: Record<Locale, Intl.PluralRules>;
  private readonly numbers: Record<Locale, Intl.NumberFormat>;

  constructor(trees: Record<Locale, MessageTree>) {
    const flatten = (tree: MessageTree) => {
      const map = new Map<string, Message>();
      for (const key of messageKeys(tree)) {
        map.set(
          key,
          key.split('.').reduce<Message | MessageTree>((node, part) => (node as MessageTree)[part], tree) as Message,
        );
      }
      return map;
    };
    this.flat = { lt: flatten(trees.lt), en: flatten(trees.en) };
    this.plurals = { lt: new Intl.PluralRules(INTL_LOCALE.lt), en: new Intl.PluralRules(INTL_LOCALE.en) };
    this.numbers = { lt: new Intl.NumberFormat(INTL_LOCALE.lt), en: new Intl.NumberFormat(INTL_LOCALE.en) };
  }

  static load(dir = LOCALES_DIR): Messages {
    const read = (locale: Locale) => JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as MessageTree;
    return new Messages(Object.fromEntries(Locales.map((l) => [l, read(l)])) as Record<Locale, MessageTree>);
  }

  keys(locale: Locale): string[] {
    return [...this.flat[locale].keys()];
  }

  has(locale: Locale, key: string): boolean {
    return this.flat[locale].has(key);
  }

  /** The text of `key` in `locale`, placeholders filled (numbers formatted in the locale). */
  t(locale: Locale, key: string, params: MessageParams = {}): string {
    const message = this.flat[locale].get(key);
    // Most texts have no placeholders: those come back as they are, with no replacing.
    if (typeof message === 'string' && !message.includes('{')) return message;
    if (message === undefined) throw new Error(`no message "${key}" in ${locale}`);
    let text: string | undefined;
    if (typeof message === 'string') {
      text = message;
    } else {
      const count = Number(params.count);
      text = message[this.plurals[locale].select(Number.isFinite(count) ? count : 0)] ?? message.other;
      if (text === undefined) throw new Error(`message "${key}" in ${locale} has no "other" form`);
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined || value === null) return whole;
      return typeof value === 'number' ? this.numbers[locale].format(value) : value;
    });
  }
}
