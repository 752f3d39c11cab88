import { AuditPanel } from '@/components/admin/AuditPanel';

export const metadata = { title: 'Admin · Audit log' };

export default function AdminAuditPage() {
  return <AuditPanel />;
}
