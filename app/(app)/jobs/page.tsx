import { EmptyState } from '@/components/ui/EmptyState';

export const metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <>
      <h1>Jobs</h1>
      <EmptyState title="No jobs yet">Training jobs you send to machines on the network will be listed here with their progress, cost and results.</EmptyState>
    </>
  );
}
