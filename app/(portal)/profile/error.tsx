'use client';

import { ErrorPanel } from '@/components/ui/error-panel';

export default function ProfileError({ error, retry }: { error: Error & { digest?: string }; retry(): void }) {
  return <ErrorPanel title="Your profile is unavailable" digest={error.digest} retry={retry} />;
}
