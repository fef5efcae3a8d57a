import { QueryFailedError } from 'typeorm';
import { MembershipErrorCode, MembershipException } from './membership.exception';

/** A unique-key violation (a race the pre-check lost) becomes the same 409 as the pre-check. */
export function duplicateAs(code: MembershipErrorCode) {
  return (error: unknown): never => {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      throw new MembershipException(code, 'an organisation with this registration code already applied or is a member');
    }
    throw error;
  };
}
