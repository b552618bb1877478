'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const linkClass =
  'rounded-md px-2 py-1 text-sm text-slate-700 transition hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 aria-[current=page]:bg-sky-50 aria-[current=page]:font-medium aria-[current=page]:text-sky-800';

/** A header link that marks the current section with aria-current. */
export function NavLink({ href, label, external = false }: { href: string; label: string; external?: boolean }) {
  const pathname = usePathname();
  const current = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  // MLflow is served by the gateway, not Next: a plain link, never a client-side route.
  if (external) {
    return (
      <a href={href} className={linkClass}>
        {label}
      </a>
    );
  }
  return (
    <Link href={href} className={linkClass} aria-current={current ? 'page' : undefined}>
      {label}
    </Link>
  );
}
