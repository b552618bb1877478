import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Decision } from '@/lib/auth/decide';
import { errorPayload, type ErrorCode } from '@/lib/errors';

/**
 * An answer the portal gives itself (a refusal, a redirect, a bad request), as plain data. Every
 * decision and refusal becomes one here, and every transport writes one with the helpers below,
 * so the gateway, proxy.ts and the route handlers answer the same way.
 */
export interface Answer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: string;
  /** The request body was left unread: this connection cannot carry another request. */
  close: boolean;
}

export interface AnswerOptions {
  accept: string | null | undefined;
  setCookies?: readonly string[];
  close?: boolean;
  extra?: OutgoingHttpHeaders;
}

/** The portal's error: an HTML page for a browser, MLflow-shaped JSON otherwise. */
export function errorAnswer(code: ErrorCode, message: string, options: AnswerOptions): Answer {
  const { status, headers, body } = errorPayload(code, message, options.accept);
  return { status, headers: withCookies({ ...headers, ...options.extra }, options.setCookies ?? []), body, close: options.close ?? false };
}

export function redirectAnswer(location: string, status: 302 | 303 | 307 | 308, options: { setCookies?: readonly string[]; close?: boolean } = {}): Answer {
  return { status, headers: withCookies({ location, 'cache-control': 'no-store' }, options.setCookies ?? []), body: '', close: options.close ?? false };
}

/**
 * A decision that did not allow the call, as an answer. `origin` makes the login redirect absolute
 * (Next's proxy requires that); elsewhere it stays a path, never built from a client's Host.
 */
export function refusalAnswer(decision: Exclude<Decision, { type: 'allow' }>, options: AnswerOptions & { origin?: string }): Answer {
  if (decision.type === 'redirect') {
    const location = options.origin ? new URL(decision.location, options.origin).href : decision.location;
    return redirectAnswer(location, 302, { setCookies: decision.setCookies, close: options.close });
  }
  return errorAnswer(decision.code, decision.message, { ...options, setCookies: decision.setCookies });
}

/** The answer as a fetch Response (proxy.ts, route handlers). */
export function toResponse(answer: Answer, method = 'GET'): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [String(value)]) headers.append(name, item);
  }
  if (answer.close) headers.set('connection', 'close');
  return new Response(method === 'HEAD' || answer.body === '' ? null : answer.body, { status: answer.status, headers });
}

/** The answer on a Node response (the custom server). */
export function writeAnswer(res: ServerResponse, answer: Answer, method = 'GET'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: OutgoingHttpHeaders = { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) };
  if (answer.close) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(method === 'HEAD' ? undefined : answer.body);
}

/** The one place cookies are added to a fetch-API header set. */
export function appendCookies(headers: Headers, cookies: readonly string[]): void {
  for (const cookie of cookies) headers.append('set-cookie', cookie);
}

function withCookies(headers: OutgoingHttpHeaders, setCookies: readonly string[]): OutgoingHttpHeaders {
  return setCookies.length > 0 ? { ...headers, 'set-cookie': [...setCookies] } : headers;
}
