import { portalRuntime } from '@/lib/runtime';

// /mlflow/* under `next start` and on Vercel: the gateway's route-handler transport. Under the
// custom server, server.ts answers /mlflow/* itself and this handler refuses to forward.
export const dynamic = 'force-dynamic';

const handle = (request: Request) => portalRuntime().handleMlflowRoute(request);

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
