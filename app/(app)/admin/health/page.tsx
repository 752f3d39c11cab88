import { HealthPanel } from '@/components/admin/HealthPanel';

export const metadata = { title: 'Admin · Health' };

export default function AdminHealthPage() {
  return <HealthPanel />;
}
