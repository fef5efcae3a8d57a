import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

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

/**
 * Request validation for every service: unknown fields are refused, types are not coerced
 * behind the caller's back, and a 400 names every bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = toFieldErrors(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: fields.flatMap((f) => f.messages),
        fields,
      });
    },
  });
}
