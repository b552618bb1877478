import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';

const pageHref = (query: string, page: number) => {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/admin?${search}` : '/admin';
};

/** "Showing 11–20 of 42" with previous/next links; `page` is 1-based. */
export function Pagination({ query, page, pageSize, total }: { query: string; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const disabled = 'pointer-events-none opacity-40';
  return (
    <nav aria-label="Pages of users" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-slate-600" data-testid="user-count">
        {total === 0 ? 'No users' : `Showing ${first}–${last} of ${total}`}
      </p>
      <div className="flex items-center gap-2">
        <Link
          href={pageHref(query, page - 1)}
          className={buttonClass('secondary', 'sm', page <= 1 ? disabled : '')}
          aria-disabled={page <= 1}
          tabIndex={page <= 1 ? -1 : undefined}
        >
          Previous
        </Link>
        <span className="text-slate-600">
          Page {Math.min(page, pages)} of {pages}
        </span>
        <Link
          href={pageHref(query, page + 1)}
          className={buttonClass('secondary', 'sm', page >= pages ? disabled : '')}
          aria-disabled={page >= pages}
          tabIndex={page >= pages ? -1 : undefined}
        >
          Next
        </Link>
      </div>
    </nav>
  );
}
