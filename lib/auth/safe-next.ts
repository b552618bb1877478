const base = 'http://portal.invalid';

/**
 * The `next` path to land on after login, only if it stays on this origin. Rejects absolute and
 * scheme-relative URLs (`//evil.com`, `/\evil.com`, and their percent-encoded or tab/newline-split
 * forms, which browsers fold back into `//`), and the login/logout pages themselves.
 */
export function safeNextPath(candidate: string | null | undefined, fallback = '/'): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) return fallback;
  if (!candidate.startsWith('/')) return fallback;
  if (/[\\\x00-\x1f\x7f]/.test(candidate)) return fallback;
  let decoded = candidate;
  for (let round = 0; round < 3; round += 1) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return fallback;
    }
  }
  if (/^\/[/\\]/.test(decoded) || /[\\\x00-\x1f\x7f]/.test(decoded)) return fallback;
  const url = new URL(candidate, base);
  if (url.origin !== base) return fallback;
  if (/^\/auth\/(login|logout)(\/|$)/.test(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
