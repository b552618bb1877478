import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorPayload, type ErrorCode } from '@/lib/errors';

/** Answers with the portal's error: an HTML page for a browser, MLflow-shaped JSON otherwise. */
export function respondError(req: IncomingMessage, res: ServerResponse, code: ErrorCode, message: string, setCookies: string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, headers, body } = errorPayload(code, message, req.headers.accept);
  const all: Record<string, string | string[]> = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  if (setCookies.length > 0) all['set-cookie'] = setCookies;
  res.writeHead(status, all);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function redirect(res: ServerResponse, location: string, setCookies: string[] = []): void {
  const headers: Record<string, string | string[]> = { location, 'cache-control': 'no-store', 'content-length': '0' };
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  res.writeHead(302, headers);
  res.end();
}
