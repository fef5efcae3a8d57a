import { EntryTransition, isListed } from '../projection';
import { visibleProfile } from '../search';
import { WebhookEventType } from './webhook-event.entity';

export interface PublicChange {
  type: WebhookEventType;
  memberId: string;
  data: Record<string, unknown>;
}

/**
 * What a partner hears of an entry's change, judged on what the directory shows anonymously:
 * joined (now listed, was not), left (was listed, is not: ended, suspended, consent withdrawn),
 * changed (listed before and after, and the public profile differs). A change only members or
 * nobody can see is no news to a partner.
 */
export function publicChangeOf({ before, after }: EntryTransition): PublicChange | null {
  const was = before !== null && isListed(before);
  const is = isListed(after);
  if (!was && !is) return null;
  if (!is) return { type: 'member.left', memberId: after.memberId, data: { id: after.memberId } };
  const profile = visibleProfile(after, 'public') as unknown as Record<string, unknown>;
  if (!was) return { type: 'member.joined', memberId: after.memberId, data: profile };
  const previous = visibleProfile(before, 'public');
  if (JSON.stringify(previous) === JSON.stringify(profile)) return null;
  return { type: 'member.changed', memberId: after.memberId, data: profile };
}
