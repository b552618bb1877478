'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function AdminError({ error, retry }: { error: Error & { digest?: string }; retry(): void }) {
  return <ErrorPanel title="The admin page is unavailable" digest={error.digest} retry={retry} />;
}
