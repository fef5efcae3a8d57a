// The sign-in front door: what other features may use of sign-in/.
export { SignInModule } from './sign-in.module';
export { SignInService } from './sign-in.service';
export { memberTokenKeys } from './member-token-keys';
export type { MemberTokenKeys } from './member-token-keys';
export { MEMBER_TOKEN_KEYS } from './member-token-keys.provider';
export { sessionsOf } from './member-sessions';
export { forgetSignIns } from './sign-in-erasure';
