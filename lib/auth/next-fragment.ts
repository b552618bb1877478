// A fragment as `location.hash` gives it: '#' and at most 1 KiB of printable, non-space characters.
const FRAGMENT = /^#[^\s\x00-\x1f\x7f\\]{1,1024}$/;

/**
 * The `next` path with the fragment the login page found in its own URL. Browsers never send a
 * fragment to the server, but keep it across the redirect to the login page, so the page hands it
 * back with the sign-in: `/mlflow/#/experiments/2` lands there again. Only a well-formed fragment
 * is added, and only to a `next` without one; the result still goes through safeNextPath, which
 * decides whether it may be followed at all.
 */
export function withFragment(next: string | null | undefined, fragment: unknown): string | null | undefined {
  if (!next || next.includes('#') || typeof fragment !== 'string' || !FRAGMENT.test(fragment)) return next;
  return `${next}${fragment}`;
}
