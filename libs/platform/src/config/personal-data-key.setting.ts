import { IsNotEmpty, Matches, ValidateIf } from 'class-validator';

/**
 * PERSONAL_DATA_KEY, as membership, the directory and notifications declare it: the master key the
 * organisations' personal-data keys are wrapped with (32 random bytes, base64: `openssl rand
 * -base64 32`), the same in the three. Required when NODE_ENV=production; elsewhere an unset key
 * means a DEV ONLY one (see DEV_PERSONAL_DATA_KEY in libs/messaging).
 */
export function PersonalDataKeySetting(): PropertyDecorator {
  return (target, property) => {
    ValidateIf(
      (config: { PERSONAL_DATA_KEY?: string }) =>
        process.env.NODE_ENV === 'production' || config.PERSONAL_DATA_KEY !== undefined,
    )(target, property);
    IsNotEmpty({ message: 'PERSONAL_DATA_KEY is required when NODE_ENV=production: `openssl rand -base64 32`' })(
      target,
      property,
    );
    Matches(/^[A-Za-z0-9+/_-]{43}=?$/, {
      message: 'PERSONAL_DATA_KEY must be 32 bytes in base64 (`openssl rand -base64 32`)',
    })(target, property);
  };
}
