import { QueryFailedError } from 'typeorm';
import { MembershipErrorCode, MembershipException } from './membership.exception';

/**
 * A unique-key violation (a race a pre-check lost, or the check itself where the key is the only
 * one) becomes a 409 with `code`.
 */
export function duplicateAs(
  code: MembershipErrorCode,
  message = 'an organisation with this registration code already applied or is a member',
) {
  return (error: unknown): never => {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      throw new MembershipException(code, message);
    }
    throw error;
  };
}
