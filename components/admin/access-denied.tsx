import Link from 'next/link';

/** Gate 2's answer on admin pages for a signed-in non-admin (gate 1 normally answers 403 first). */
export function AccessDenied({ message }: { message: string }) {
  return (
    <section
      aria-labelledby="denied-heading"
      className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm"
      data-testid="access-denied"
    >
      <p className="text-sm font-semibold text-red-700">403</p>
      <h1 id="denied-heading" className="mt-1 text-xl font-semibold">
        Admins only
      </h1>
      <p className="mt-2 text-sm text-slate-600">{message}. Ask an admin if you need to manage access.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-sky-700 hover:underline">
        Back to the portal home
      </Link>
    </section>
  );
}
