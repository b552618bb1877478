import type { NextRequest } from 'next/server';
import { guardPortalRequest } from '@/lib/auth/next-guard';

// Gate 1 for the portal's pages and handlers. /mlflow never comes here: server.ts decides and
// streams it (Next would copy and cap the bodies it sees).
export function proxy(request: NextRequest) {
  return guardPortalRequest(request);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|mlflow(?:/|$)).*)'],
};
