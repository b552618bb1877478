import { handleMlflowRoute } from '@/lib/gateway/route-handler';

// Only reached without the custom server (Vercel): server.ts answers /mlflow/* itself, streaming.
export const dynamic = 'force-dynamic';

export const GET = handleMlflowRoute;
export const HEAD = handleMlflowRoute;
export const POST = handleMlflowRoute;
export const PUT = handleMlflowRoute;
export const PATCH = handleMlflowRoute;
export const DELETE = handleMlflowRoute;
export const OPTIONS = handleMlflowRoute;
