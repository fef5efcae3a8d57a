/** The Nest token of the MemberTokenKeys membership signs member access tokens with. */
export const MEMBER_TOKEN_KEYS = Symbol('MEMBER_TOKEN_KEYS');
