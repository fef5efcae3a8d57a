import { ValidateIf } from 'class-validator';

/**
 * Optional, but when given it must be valid: `null` is refused like any other wrong value
 * (IsOptional would take it for absent, behind the back of an OpenAPI document that does not
 * call the field nullable). Use it instead of IsOptional on every optional body field that is
 * not documented as nullable.
 */
export const PresentMeansNotNull = () => ValidateIf((_: object, value: unknown) => value !== undefined);
