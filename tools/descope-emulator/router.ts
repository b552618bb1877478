import type { IncomingMessage } from 'node:http';
import { EmulatorError, errorCodes, notFound } from './http';

export interface RequestContext {
  req: IncomingMessage;
  query: URLSearchParams;
  params: Record<string, string>;
}

/** A handler returns the JSON body of a 200; failures are thrown as EmulatorError. */
export type Handler = (ctx: RequestContext) => unknown;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: Handler;
}

export const get = (path: string, handler: Handler): Route => ({ method: 'GET', path, handler });
export const post = (path: string, handler: Handler): Route => ({ method: 'POST', path, handler });

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    if (segment.startsWith(':')) params[segment.slice(1)] = have[index];
    else if (segment !== have[index]) return undefined;
  }
  return params;
}

/** Finds the route for a request; unknown paths are 404 and known paths with another method 405. */
export function resolveRoute(routes: Route[], method: string, path: string): { handler: Handler; params: Record<string, string> } {
  let pathKnown = false;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { handler: route.handler, params };
    pathKnown = true;
  }
  if (pathKnown) throw new EmulatorError(405, errorCodes.badRequest, 'Method not allowed', `${method} is not supported on ${path}`);
  throw notFound(`the emulator has no endpoint ${path}`);
}
