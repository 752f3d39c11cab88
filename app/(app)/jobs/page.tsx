import { JobsList } from '@/components/jobs/JobsList';

export const metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <>
      <h1>Jobs</h1>
      <JobsList />
    </>
  );
}
