import { PageSkeleton } from '@/components/ui/skeleton';

export default function AdminUserLoading() {
  return <PageSkeleton label="Loading the user…" cards={2} />;
}
