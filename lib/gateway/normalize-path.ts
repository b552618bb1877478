export type NormalizedPath = { ok: true; path: string; query: string } | { ok: false; reason: string };

// Segments of unreserved and sub-delim characters but `;`, none empty or starting with `.` (so no
// `.`, `..` or `//`), no `%` or `\`, an optional trailing `/`: what the walk below returns unchanged.
const PLAIN_PATH = /^(?:\/[\w\-~!$&'()*+,=:@][\w\-.~!$&'()*+,=:@]*)+\/?$/;

/**
 * Canonical form of a request path, computed once: percent-decoded exactly once, `//` collapsed,
 * `.`/`..` resolved. The permission table sees this path and the upstream receives it re-encoded,
 * so the two can never disagree about which endpoint a request is. Paths that could be read two
 * ways (NUL, backslash, `;` parameters, invalid UTF-8 such as overlong encodings, `..` above the
 * root) are refused rather than guessed at.
 */
export function normalizePath(rawTarget: string): NormalizedPath {
  const hashAt = rawTarget.indexOf('#');
  const target = hashAt < 0 ? rawTarget : rawTarget.slice(0, hashAt);
  const queryAt = target.indexOf('?');
  const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? '' : target.slice(queryAt);
  if (!rawPath.startsWith('/')) return refuse('the path must start with "/"');
  // Nothing to decode, collapse or resolve: the path is its own canonical form (most requests).
  if (PLAIN_PATH.test(rawPath)) return { ok: true, path: rawPath, query };

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return refuse('the path is not valid percent-encoded UTF-8');
  }
  if (/[\x00-\x1f\x7f\\;]/.test(decoded)) return refuse('the path contains a control character, "\\" or ";"');

  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return refuse('the path climbs above the root');
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const trailingSlash = decoded.length > 1 && /\/\.{0,2}$/.test(decoded);
  const path = `/${segments.join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`;
  return { ok: true, path, query };
}

/** The wire form of a normalised path: every segment re-encoded, `/` kept as the separator. */
export function encodePath(path: string): string {
  // Characters encodeURIComponent leaves alone, plus the three we restore: already the wire form.
  if (/^[\w\-.!~*'()@:,/]*$/.test(path)) return path;
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@').replace(/%3A/gi, ':').replace(/%2C/gi, ','))
    .join('/');
}

function refuse(reason: string): NormalizedPath {
  return { ok: false, reason };
}
