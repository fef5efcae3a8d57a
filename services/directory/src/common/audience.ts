import { Visibility } from '@valley/contracts';
import { Viewer } from '@valley/platform';

/**
 * Who an answer of the directory is for: the `public` (anonymous callers, and valid tokens that
 * grant neither role) or signed-in `members` (a member's or a coordinator's token: both see the
 * same). Every answer, kept answer and text match is for one audience.
 */
export const Audiences = ['public', 'members'] as const;
export type Audience = (typeof Audiences)[number];

export function audienceOf(viewer: Viewer): Audience {
  return viewer.level === 'anonymous' ? 'public' : 'members';
}

/** A field of this visibility is shown to the audience: `public` to all, `members` to members, `hidden` to nobody. */
export function shownTo(visibility: Visibility, audience: Audience): boolean {
  return visibility === 'public' || (visibility === 'members' && audience === 'members');
}
