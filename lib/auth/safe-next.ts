const base = 'http://portal.invalid';
const MAX_DECODING_ROUNDS = 3;

/**
 * The `next` path to land on after login, only if it stays on this origin; else `fallback`.
 * The check is made on the value that will be sent, after every normalisation that may happen to
 * it (URL resolution of `.`/`..` segments, and percent-decoding by whatever reads it next), never
 * on the input alone: `/./\/evil.com` is harmless as typed and becomes `//evil.com` once resolved.
 */
export function safeNextPath(candidate: string | null | undefined, fallback = '/'): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) return fallback;
  if (!candidate.startsWith('/') || /[\\\x00-\x1f\x7f]/.test(candidate)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(candidate, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base) return fallback;
  const result = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (!staysOnOrigin(result)) return fallback;
  if (/^\/auth\/(login|logout)(\/|$)/.test(resolved.pathname)) return fallback;
  return result;
}

/** `path`, and each percent-decoding of it, is a same-origin absolute path (not `//host`, not `/\host`). */
function staysOnOrigin(path: string): boolean {
  let current = path;
  for (let round = 0; round <= MAX_DECODING_ROUNDS; round += 1) {
    if (!/^\/(?![/\\])/.test(current) || /[\\\x00-\x1f\x7f]/.test(current)) return false;
    let resolved: URL;
    try {
      resolved = new URL(current, base);
    } catch {
      return false;
    }
    if (resolved.origin !== base || /^\/[/\\]/.test(resolved.pathname)) return false;
    const decoded = percentDecode(current);
    if (decoded === current) return true;
    current = decoded;
  }
  return false;
}

/** Decodes every valid `%XX`, as the most lenient reader would (byte by byte, malformed ones kept). */
function percentDecode(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
