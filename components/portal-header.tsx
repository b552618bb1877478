import Link from 'next/link';
import type { Identity } from '@/lib/auth/identity';

/** The portal's top bar: product, navigation (Admin only for admins), who is signed in, sign out. */
export function PortalHeader({ identity }: { identity: Identity }) {
  const links = [
    { href: '/mlflow/', label: 'MLflow' },
    { href: '/profile', label: 'Profile' },
    ...(identity.isAdmin ? [{ href: '/admin', label: 'Admin' }] : []),
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="font-semibold text-slate-900">
          MLflow <span className="text-sky-700">Portal</span>
        </Link>
        <ul className="flex items-center gap-4 text-sm">
          {links.map((link) => (
            <li key={link.href}>
              {/* MLflow is served by the gateway, not Next: a plain link, never a client-side route. */}
              {link.href.startsWith('/mlflow') ? (
                <a href={link.href} className="text-slate-700 hover:text-sky-700">{link.label}</a>
              ) : (
                <Link href={link.href} className="text-slate-700 hover:text-sky-700">{link.label}</Link>
              )}
            </li>
          ))}
        </ul>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span className="hidden text-slate-600 sm:inline" data-testid="signed-in-user">
            {identity.name || identity.email || identity.username}
          </span>
          <form method="post" action="/auth/logout">
            <button type="submit" className="rounded-lg border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100">
              Sign out
            </button>
          </form>
        </div>
      </nav>
    </header>
  );
}
