import isEmail from 'validator/lib/isEmail';
import isISO31661Alpha2 from 'validator/lib/isISO31661Alpha2';
import isISO8601 from 'validator/lib/isISO8601';
import isURL from 'validator/lib/isURL';
import isUUID from 'validator/lib/isUUID';

/**
 * The string formats the contracts use, judged by validator.js: the library class-validator uses on
 * the HTTP side, so an event carries exactly what its endpoint accepted.
 */
export const Formats = {
  uuid: (value: string) => isUUID(value),
  email: (value: string) => isEmail(value),
  /** An absolute URL, protocol included. */
  uri: (value: string) => isURL(value, { require_protocol: true }),
  /** A calendar day, YYYY-MM-DD. */
  date: (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isISO8601(value, { strict: true }),
  /** An ISO 8601 instant, as Date.toISOString writes it (any ISO 8601 with a time). */
  'date-time': (value: string) => value.includes('T') && isISO8601(value, { strict: true }),
  /** An ISO 3166-1 alpha-2 country code (LT). */
  country: (value: string) => isISO31661Alpha2(value),
} as const;

export type FormatName = keyof typeof Formats;

/** What a value of each format must be, for the reasons decodeEvent gives. */
export const FormatDescriptions: Record<FormatName, string> = {
  uuid: 'must be a UUID',
  email: 'must be an email address',
  uri: 'must be a URL with its protocol (https://…)',
  date: 'must be a calendar day (YYYY-MM-DD)',
  'date-time': 'must be an ISO 8601 date and time',
  country: 'must be an ISO 3166-1 alpha-2 country code',
};
