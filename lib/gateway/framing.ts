import type { IncomingHttpHeaders } from 'node:http';

/** How a request's body is delimited, as the portal's HTTP parser read it. */
export type InboundBody = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

export type Framing = { ok: true; body: InboundBody } | { ok: false; message: string };

// Methods whose bodies MLflow has no use for (it reads GET parameters from the query string) and
// that no client sends with a body. A body here is refused, not dropped: dropping would answer a
// question the client did not ask, and forwarding one is how a second request gets smuggled.
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Decides, before anything is forwarded, what body a request has. Only the two unambiguous forms
 * pass: one Content-Length of plain digits, or `Transfer-Encoding: chunked` alone on HTTP/1.1.
 * Everything else (both at once, a list, other codings, chunked on HTTP/1.0, a body on GET,
 * HEAD or OPTIONS) is refused with the reason. The portal then frames what it forwards itself:
 * the client's framing headers never reach MLflow (lib/gateway/upstream-headers.ts).
 */
export function requestFraming(method: string, httpVersion: string, headers: IncomingHttpHeaders): Framing {
  const te = headers['transfer-encoding'];
  const cl = headers['content-length'];
  let body: InboundBody;
  if (te !== undefined) {
    if (cl !== undefined) return refuse('the request has both Transfer-Encoding and Content-Length');
    if (httpVersion !== '1.1') return refuse(`Transfer-Encoding is not allowed on HTTP/${httpVersion}`);
    const codings = te.split(',').map((coding) => coding.trim().toLowerCase());
    if (codings.length !== 1 || codings[0] !== 'chunked')
      return refuse(`Transfer-Encoding "${te.slice(0, 60)}" is not supported: send "chunked" alone, or a Content-Length`);
    body = { kind: 'chunked' };
  } else if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl)) return refuse('Content-Length must be one whole number of bytes');
    const length = Number(cl);
    body = length === 0 ? { kind: 'none' } : { kind: 'length', length };
  } else {
    body = { kind: 'none' };
  }
  if (body.kind !== 'none' && BODILESS_METHODS.has(method)) return refuse(`${method} requests must not carry a body`);
  return { ok: true, body };
}

function refuse(message: string): Framing {
  return { ok: false, message };
}
