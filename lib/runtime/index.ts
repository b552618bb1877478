import 'server-only';

// The runtime as pages, route handlers and server actions reach it. Importing it from a client
// component fails the build: it holds the management key and every server-side secret.
export { portalRuntime, type PortalRuntime } from '@/lib/runtime/portal-runtime';
export { countedRoute } from '@/lib/runtime/counted-route';
