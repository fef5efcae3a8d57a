import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { findUnstorableText } from './text-rules';

export interface FieldError {
  field: string;
  messages: string[];
}

/** Flattens class-validator errors into one entry per field path (`contact.email`, `sectorCodes.0`). */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const name = new RegExp(`(^|\\s)${escapeRegExp(error.property)}(?=\\s|$)`);
    const own = error.constraints
      ? [{ field, messages: Object.values(error.constraints).map((m) => m.replace(name, `$1${field}`)) }]
      : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fieldErrorsException(fields: FieldError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: fields.flatMap((f) => f.messages),
    fields,
  });
}

/** The members of Object.prototype (`__proto__`, `constructor`, `toString`, …). */
const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Every key of an object in a request named like a member of Object.prototype, by its path.
 * class-validator's whitelist looks a key up in a plain object of the declared properties, finds
 * `toString` or `constructor` on that object's prototype, and so lets such a key through as if
 * declared: refused here instead, as any unknown field is. No DTO declares such a field.
 */
export function findPrototypeKeys(value: unknown, path = ''): FieldError[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const childPath = path ? `${path}.${key}` : key;
    if (PROTOTYPE_MEMBERS.has(key)) return [{ field: childPath, messages: [`property ${childPath} should not exist`] }];
    return findPrototypeKeys((value as Record<string, unknown>)[key], childPath);
  });
}

/**
 * Refuses text no field can store (U+0000, unpaired surrogates), and keys named like members of
 * Object.prototype, anywhere in a body, query or route parameters, with or without a DTO, before
 * the DTO's own rules run.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const path = metadata.type === 'param' && metadata.data ? metadata.data : '';
      const refused = [
        ...findUnstorableText(value, path).map(({ field, message }) => ({ field, messages: [message] })),
        ...findPrototypeKeys(value, path),
      ];
      if (refused.length > 0) throw fieldErrorsException(refused);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Request validation for every service: unknown fields are refused, types are not coerced
 * behind the caller's back, text no field can store is refused, and a 400 names every bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => fieldErrorsException(toFieldErrors(errors)),
  });
}
