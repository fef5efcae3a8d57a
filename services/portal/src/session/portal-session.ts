/** Who is signed in: a member's contact (membership's one-time link) or a person from the coordinators' provider. */
export type SessionKind = 'member' | 'coordinator';

/**
 * What the session cookie holds (encrypted and authenticated: see SessionSealer). No server-side
 * store: the portal has no database, and a cookie scales with the load balancer for free.
 */
export interface PortalSession {
  kind: SessionKind;
  /** The `sub` of the access token: the member's contact email, or the provider's subject. */
  subject: string;
  email: string | null;
  name: string | null;
  /** Members only: the member organisation's id. */
  memberId: string | null;
  /** Whether the provider's roles make the person a coordinator (coordinator kind only; members: false). */
  coordinator: boolean;
  /** Members only: false while the member is suspended (read, not change). */
  canChange: boolean;
  accessToken: string;
  /** Epoch seconds when the access token expires. */
  accessExpiresAt: number;
  refreshToken: string | null;
  /** Coordinators only: the provider's ID token, the `id_token_hint` of RP-initiated logout (dropped when too big). */
  idToken: string | null;
  /** Epoch seconds when the session ends (the cookie with it). */
  sessionExpiresAt: number;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A decrypted payload as a session, or null when it is not one (an older shape, a bug). */
export function asPortalSession(value: Record<string, unknown>): PortalSession | null {
  const s = value as Partial<Record<keyof PortalSession, unknown>>;
  if (
    (s.kind === 'member' || s.kind === 'coordinator') &&
    isString(s.subject) &&
    isNullableString(s.email) &&
    isNullableString(s.name) &&
    isNullableString(s.memberId) &&
    typeof s.coordinator === 'boolean' &&
    typeof s.canChange === 'boolean' &&
    isString(s.accessToken) &&
    isNumber(s.accessExpiresAt) &&
    isNullableString(s.refreshToken) &&
    isNullableString(s.idToken) &&
    isNumber(s.sessionExpiresAt) &&
    (s.kind === 'coordinator' || isString(s.memberId))
  ) {
    return {
      kind: s.kind,
      subject: s.subject,
      email: s.email,
      name: s.name,
      memberId: s.memberId,
      coordinator: s.kind === 'coordinator' && s.coordinator,
      canChange: s.canChange,
      accessToken: s.accessToken,
      accessExpiresAt: s.accessExpiresAt,
      refreshToken: s.refreshToken,
      idToken: s.idToken,
      sessionExpiresAt: s.sessionExpiresAt,
    };
  }
  return null;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
