'use client';

import { buttonClass } from '@/components/ui/button';

/** The body of an error.tsx boundary: what failed, that nothing was half-done, and a retry. */
export function ErrorPanel({ title, digest, retry }: { title: string; digest?: string; retry(): void }) {
  return (
    <div role="alert" className="rounded-2xl border border-red-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-red-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-700">
        The page could not be loaded. No change was made. If this keeps happening, tell your operator
        {digest ? (
          <>
            {' '}
            and quote <code className="font-mono">{digest}</code>
          </>
        ) : null}
        .
      </p>
      <button type="button" onClick={retry} className={buttonClass('secondary', 'md', 'mt-4')}>
        Try again
      </button>
    </div>
  );
}
