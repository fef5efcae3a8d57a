import { isLithuanianCompanyCode } from '@valley/contracts';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * class-validator: when the object's `country` is LT, the value is a 9-digit Lithuanian company
 * code with a valid check digit. Other countries' codes are checked only for their shape elsewhere.
 */
export function IsRegistrationCodeOfCountry(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRegistrationCodeOfCountry',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property }: ValidationArguments) =>
          `${property} must be a Lithuanian company code: 9 digits with a valid check digit`,
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          (args.object as { country?: unknown }).country !== 'LT' || isLithuanianCompanyCode(value),
      },
    });
}
