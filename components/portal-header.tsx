import Link from 'next/link';
import type { Identity } from '@/lib/auth/identity';
import { NavLink } from '@/components/ui/nav-link';
import { buttonClass } from '@/components/ui/button';

/** The portal's top bar: product, navigation (Admin only for admins), who is signed in, sign out. */
export function PortalHeader({ identity }: { identity: Identity }) {
  const displayName = identity.name || identity.email || identity.username;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="rounded-md font-semibold text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500">
          MLflow <span className="text-sky-700">Portal</span>
        </Link>
        {/* Below 640 px the links get their own row, so nothing is squeezed or hidden. */}
        <nav aria-label="Main" className="order-last w-full sm:order-none sm:w-auto">
          <ul className="-mx-2 flex items-center gap-1 sm:mx-0">
            <li>
              <NavLink href="/mlflow/" label="MLflow" external />
            </li>
            <li>
              <NavLink href="/profile" label="Profile" />
            </li>
            {identity.isAdmin && (
              <li>
                <NavLink href="/admin" label="Admin" />
              </li>
            )}
          </ul>
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
          <span className="hidden min-w-0 truncate text-slate-600 sm:inline" data-testid="signed-in-user" title={identity.email}>
            {displayName}
          </span>
          <form method="post" action="/auth/logout">
            <button type="submit" className={buttonClass('secondary', 'sm')}>
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
