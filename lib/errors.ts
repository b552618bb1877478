/**
 * The portal's one error vocabulary. Every refusal or failure a client can see is one of these
 * codes; the table fixes its HTTP status and MLflow's `error_code`, so API clients (the mlflow
 * Python client among them) get MLflow-shaped JSON and browsers get a readable page.
 */
export const errorTable = {
  unauthenticated: { status: 401, mlflowCode: 'UNAUTHENTICATED', title: 'Sign-in required' },
  forbidden: { status: 403, mlflowCode: 'PERMISSION_DENIED', title: 'Permission denied' },
  bad_request: { status: 400, mlflowCode: 'INVALID_PARAMETER_VALUE', title: 'Bad request' },
  not_found: { status: 404, mlflowCode: 'ENDPOINT_NOT_FOUND', title: 'Not found' },
  method_not_allowed: { status: 405, mlflowCode: 'ENDPOINT_NOT_FOUND', title: 'Method not allowed' },
  length_required: { status: 411, mlflowCode: 'INVALID_PARAMETER_VALUE', title: 'Content-Length required' },
  payload_too_large: { status: 413, mlflowCode: 'INVALID_PARAMETER_VALUE', title: 'Request too large' },
  headers_too_large: { status: 431, mlflowCode: 'INVALID_PARAMETER_VALUE', title: 'Request headers too large' },
  upstream_unavailable: { status: 502, mlflowCode: 'TEMPORARILY_UNAVAILABLE', title: 'MLflow is unreachable' },
  descope_unavailable: { status: 503, mlflowCode: 'TEMPORARILY_UNAVAILABLE', title: 'Sign-in service unavailable' },
  upstream_timeout: { status: 504, mlflowCode: 'TEMPORARILY_UNAVAILABLE', title: 'MLflow did not answer in time' },
  internal: { status: 500, mlflowCode: 'INTERNAL_ERROR', title: 'Something went wrong' },
} as const;

export type ErrorCode = keyof typeof errorTable;

export function errorJson(code: ErrorCode, message: string): { error_code: string; message: string } {
  return { error_code: errorTable[code].mlflowCode, message };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => escapes[ch]);

// Small self-contained pages (no scripts, no external assets) for browsers.
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}main{max-width:32rem;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:12px}h1{font-size:1.25rem}a{color:#2563eb}button{font:inherit;padding:.5rem 1rem;border-radius:8px;border:1px solid #0f172a;background:#0f172a;color:#fff;cursor:pointer}</style></head>
<body><main>${body}</main></body></html>`;
}

export function errorHtml(code: ErrorCode, message: string): string {
  const { status, title } = errorTable[code];
  return page(
    `${status} ${title}`,
    `<p>${status}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Portal home</a> · <a href="/auth/logout">Sign out</a></p>`,
  );
}

/** What GET /auth/logout shows: a question and a same-origin POST, so a link alone signs nobody out. */
export function signOutPage(): string {
  return page(
    'Sign out?',
    `<h1>Sign out of the MLflow Portal?</h1><p>Programs using your access keys keep working.</p><form method="post" action="/auth/logout"><button type="submit">Sign out</button> <a href="/">Cancel</a></form>`,
  );
}

/** Browsers navigating get HTML; everything else (mlflow client, curl, fetch) gets JSON. */
export function wantsHtml(accept: string | null | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/html');
}

export interface ErrorPayload {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The one rendering of an error, shared by the node gateway, proxy.ts and route handlers. */
export function errorPayload(code: ErrorCode, message: string, accept: string | null | undefined): ErrorPayload {
  const html = wantsHtml(accept);
  const headers: Record<string, string> = {
    'content-type': html ? 'text/html; charset=utf-8' : 'application/json',
    'cache-control': 'no-store',
  };
  if (code === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="mlflow"';
  return { status: errorTable[code].status, headers, body: html ? errorHtml(code, message) : JSON.stringify(errorJson(code, message)) };
}
