const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

interface OriginRequest {
  method: string;
  header(name: string): string | undefined;
}

/**
 * A cookie-authenticated write must come from the portal's own pages. Browsers always send
 * `Origin` on cross-origin writes and `Sec-Fetch-Site` on all of them; a request with neither is
 * not a browser acting for a third-party page (curl, scripts), so it is left to the token checks.
 */
export function isCrossSiteWrite(request: OriginRequest): boolean {
  if (safeMethods.has(request.method)) return false;
  const origin = request.header('origin');
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return true;
    }
    if (originHost !== request.header('host')) return true;
  } else if (origin === 'null') {
    return true;
  }
  const fetchSite = request.header('sec-fetch-site');
  return fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
}
