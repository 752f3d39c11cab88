import { DashboardCounts } from '@/components/dashboard/DashboardCounts';
import { RecentActivity } from '@/components/dashboard/RecentActivity';
import { currentUser } from '@/server/auth/current-user';

export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await currentUser();
  return (
    <>
      <h1>Welcome, {user?.username ?? user?.email}</h1>
      <RecentActivity />
      <DashboardCounts />
    </>
  );
}
