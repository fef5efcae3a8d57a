/**
 * Signing in and the session, for the pages that need a signed-in person:
 *
 * - `@MemberOnly()` / `@CoordinatorOnly()` on a controller or handler (pages under `/account` and
 *   `/console` are guarded by their path anyway);
 * - `@SignedIn() person: SignedInPerson` in the handler: `person.session` and `person.apis.<service>
 *   .request(path, …)`, which sends the person's bearer token (renewed before it expires).
 */
export * from './area.guard';
export * from './coordinator-oidc';
export * from './portal-session';
export * from './portal-sessions';
export * from './session-exceptions';
export * from './session-sealer';
export * from './sign-in-next';
export * from './session-context';
