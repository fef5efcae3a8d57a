/** The longest `next` kept (a directory URL with every filter fits). */
const MAX_NEXT = 2048;

/**
 * Where to come back to after signing in: a path on this site only (`/…`, not `//host`, not
 * `/\host`, no scheme, no control characters or spaces, no backslashes), never the sign-in pages
 * themselves (no loop) nor the sign-out. Anything else is null: the caller's default applies.
 */
export function signInNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NEXT) return null;
  if (!/^\/(?![/\\])[^\s\\\u0000-\u001f\u007f]*$/.test(value)) return null;
  let path: string;
  try {
    // Resolved against a placeholder origin: whatever the browser would make of it must stay on it.
    const url = new URL(value, 'http://portal.invalid');
    if (url.origin !== 'http://portal.invalid') return null;
    path = url.pathname;
  } catch {
    return null;
  }
  if (/^\/(sign-in|sign-out)(\/|$)/.test(path)) return null;
  return value;
}
