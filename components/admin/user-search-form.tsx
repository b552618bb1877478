import Link from 'next/link';
import { buttonClass, inputClass } from '@/components/ui/button';

/** A plain GET form: the search lives in the URL (shareable, back button works, no JavaScript needed). */
export function UserSearchForm({ query }: { query: string }) {
  return (
    <form role="search" action="/admin" method="get" className="flex flex-col gap-2 sm:flex-row sm:items-end">
      <div className="flex-1">
        <label htmlFor="user-search" className="mb-1 block text-sm font-medium text-slate-700">
          Search users
        </label>
        <input id="user-search" type="search" name="q" defaultValue={query} maxLength={100} placeholder="Name, email or user id" className={inputClass} />
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass('primary', 'md', 'flex-1 sm:flex-none')}>
          Search
        </button>
        {query && (
          <Link href="/admin" className={buttonClass('ghost', 'md')}>
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}
