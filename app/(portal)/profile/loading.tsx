import { PageSkeleton } from '@/components/ui/skeleton';

export default function ProfileLoading() {
  return <PageSkeleton label="Loading your profile…" cards={2} />;
}
