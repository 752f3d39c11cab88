import { AdminOverview } from '@/components/admin/AdminOverview';
import { LedgerPanel } from '@/components/admin/LedgerPanel';
import { currentUser } from '@/server/auth/current-user';

export const metadata = { title: 'Admin' };

export default async function AdminPage() {
  const user = await currentUser();
  if (user?.role !== 'admin') {
    return (
      <>
        <h1>Admin</h1>
        <p className="form-error" role="alert">
          Only administrators can see this page.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Admin</h1>
      <AdminOverview />
      <LedgerPanel />
    </>
  );
}
