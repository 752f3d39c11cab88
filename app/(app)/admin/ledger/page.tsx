import { LedgerDashboard } from '@/components/admin/LedgerDashboard';

export const metadata = { title: 'Admin · Ledger' };

export default function AdminLedgerPage() {
  return <LedgerDashboard />;
}
