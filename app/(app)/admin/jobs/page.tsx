import { AdminJobs } from '@/components/admin/AdminJobs';

export const metadata = { title: 'Admin · Jobs' };

export default function AdminJobsPage() {
  return <AdminJobs />;
}
