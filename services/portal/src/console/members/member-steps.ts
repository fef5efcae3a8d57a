/** The lifecycle steps of a member (membership's transitions) and whether each needs a reason. */
export type MemberStep = 'suspend' | 'reinstate' | 'end' | 'erase';

export const MEMBER_STATUSES = ['active', 'suspended', 'ended'] as const;

const ALLOWED: Record<string, readonly MemberStep[]> = {
  active: ['suspend', 'end'],
  suspended: ['reinstate', 'end'],
  // Erasure (GDPR Art. 17): once the membership has ended, and once.
  ended: ['erase'],
};

export const REASON_REQUIRED: Record<MemberStep, boolean> = {
  suspend: true,
  reinstate: false,
  end: true,
  erase: true,
};

/** Free text the erase step may also mark personal (membership's `personalText`). */
export const ERASABLE_TEXT = ['description', 'statement'] as const;

export function allowedSteps(status: string, erasedAt: string | null = null): readonly MemberStep[] {
  return erasedAt ? [] : (ALLOWED[status] ?? []);
}

export function isMemberStep(value: unknown): value is MemberStep {
  return value === 'suspend' || value === 'reinstate' || value === 'end' || value === 'erase';
}

/** The erase step's marked free text, from the form's checkboxes (one value or several). */
export function markedPersonalText(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return (ERASABLE_TEXT as readonly string[]).filter((field) => values.includes(field));
}

/** The list's filters from the URL: a known status or none; the search text on one line, at most 200 characters. */
export function memberListFilters(query: Record<string, unknown>): { status?: string; q?: string } {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const status = first(query.status);
  const q = first(query.q);
  const text =
    typeof q === 'string'
      ? q
          .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
          .trim()
          .slice(0, 200)
      : '';
  return {
    ...(typeof status === 'string' && (MEMBER_STATUSES as readonly string[]).includes(status) ? { status } : {}),
    ...(text ? { q: text } : {}),
  };
}
