import Link from 'next/link';

export default function AdminUserNotFound() {
  return (
    <section aria-labelledby="missing-user" className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm">
      <h1 id="missing-user" className="text-xl font-semibold">
        No such user
      </h1>
      <p className="mt-2 text-sm text-slate-600">Descope has no user with this login id. They may have been removed.</p>
      <Link href="/admin" className="mt-4 inline-block text-sm font-medium text-sky-700 hover:underline">
        Back to all users
      </Link>
    </section>
  );
}
