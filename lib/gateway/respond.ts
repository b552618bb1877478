import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorHtml, errorJson, errorTable, wantsHtml, type ErrorCode } from '@/lib/errors';

/** Answers with the portal's error: an HTML page for a browser, MLflow-shaped JSON otherwise. */
export function respondError(req: IncomingMessage, res: ServerResponse, code: ErrorCode, message: string, setCookies: string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const html = wantsHtml(req.headers.accept);
  const body = html ? errorHtml(code, message) : JSON.stringify(errorJson(code, message));
  const headers: Record<string, string | string[]> = {
    'content-type': html ? 'text/html; charset=utf-8' : 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  };
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  if (code === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="mlflow"';
  res.writeHead(errorTable[code].status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function redirect(res: ServerResponse, location: string, setCookies: string[] = []): void {
  const headers: Record<string, string | string[]> = { location, 'cache-control': 'no-store', 'content-length': '0' };
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  res.writeHead(302, headers);
  res.end();
}
