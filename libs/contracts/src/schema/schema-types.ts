import { SchemaOptions, Static, TSchema, TString, Type } from '@sinclair/typebox';
import { FormatName } from './formats';

/**
 * The building blocks of the event contracts (TypeBox: JSON Schema with its TypeScript type). The
 * schemas are the source: the types come from them, the validators are compiled from them (ajv),
 * the AsyncAPI document and the published schemas (libs/contracts/schemas) are written from them.
 */

export const Text = (options: { maxLength: number; minLength?: number; description?: string }): TString =>
  Type.String(options);

/** A string that is not empty. */
export const RequiredText = (maxLength: number, description?: string): TString =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

export const Formatted = (format: FormatName, options: SchemaOptions = {}): TString =>
  Type.String({ format, ...options });

export const Uuid = (description?: string) => Formatted('uuid', description ? { description } : {});
export const Day = (description?: string) => Formatted('date', description ? { description } : {});
export const Instant = (description?: string) => Formatted('date-time', description ? { description } : {});

/** One of a fixed list of strings. */
export const OneOf = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/**
 * A field that may be absent or null. Producers write null for "none" where an endpoint accepts
 * it, and older events may carry either.
 */
export const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export type { Static };
