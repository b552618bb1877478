import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '@/tools/local-stack/wait';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NextRequest } from 'next/server';

type RouteHandler = (request: Request) => Promise<Response>;

/**
 * Serves an App Router route handler over real HTTP the way `next start` does in the Node runtime
 * (NextRequestAdapter.fromNodeNextRequest): the handler gets a NextRequest whose body is the Node
 * request stream itself, and its Response is written back as it streams. No custom server, so
 * this is the path a Vercel deployment takes.
 */
export async function serveRouteHandler(handler: RouteHandler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    respond(handler, req, res).catch(() => res.destroy());
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, server, close };
}

/** Runs one route handler for a Node request and writes its Response, as Next's Node runtime does. */
export async function respond(handler: RouteHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const init = { method: req.method, headers, duplex: 'half', body: hasBody ? (req as unknown as ReadableStream) : null };
  const request = new NextRequest(new URL(req.url ?? '/', `http://${req.headers.host}`), init as ConstructorParameters<typeof NextRequest>[1]);
  const response = await handler(request);
  const outgoing: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoing['set-cookie'] = cookies;
  res.writeHead(response.status, outgoing);
  if (!response.body) return void res.end();
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
}
