/** Nobody is signed in (or the session is over): the page filter sends the browser to `/sign-in?next=…`. */
export class SignInRequired extends Error {
  constructor(
    /** Where to come back to after signing in (a path of this site). */
    readonly next: string,
    /** Whether a session just ended (the sign-in page says so). */
    readonly ended = false,
  ) {
    super('sign-in required');
    this.name = 'SignInRequired';
  }
}

/**
 * Signed in, but this area is for others: a member at /console (`coordinatorsOnly`), a person of
 * the provider without the coordinator role at /console (`notCoordinator`), a coordinator at
 * /account (`membersOnly`). The page filter shows a 403 page saying so.
 */
export class AreaRefused extends Error {
  constructor(readonly reason: 'coordinatorsOnly' | 'notCoordinator' | 'membersOnly') {
    super(`area refused: ${reason}`);
    this.name = 'AreaRefused';
  }
}
