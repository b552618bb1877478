import type { Requirement } from '@/lib/auth/decide';

// Pages and handlers anyone may reach; everything else needs a signed-in user.
const publicRoutes = [/^\/auth\/login(\/.*)?$/, /^\/auth\/logout$/, /^\/auth\/health$/, /^\/auth\/session$/];

/** What a portal (non-MLflow) path requires; null for public routes. */
export function requirementFor(pathname: string): Requirement | null {
  if (publicRoutes.some((route) => route.test(pathname))) return null;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return { permission: 'NONE', admin: true };
  // Any signed-in user may see the portal's own pages (a NONE user sees why they lack access).
  return { permission: 'NONE' };
}
