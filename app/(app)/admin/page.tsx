import { AdminOverview } from '@/components/admin/AdminOverview';
import { LedgerPanel } from '@/components/admin/LedgerPanel';

export const metadata = { title: 'Admin' };

export default function AdminPage() {
  return (
    <>
      <AdminOverview />
      <LedgerPanel />
    </>
  );
}
