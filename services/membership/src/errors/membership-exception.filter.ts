import { errorCodeFilter } from '@valley/platform';
import { MembershipException, membershipErrorStatus } from './membership.exception';

export const MembershipExceptionFilter = errorCodeFilter(MembershipException, membershipErrorStatus);
