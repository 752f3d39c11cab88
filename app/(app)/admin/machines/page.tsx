import { FleetPanel } from '@/components/admin/FleetPanel';

export const metadata = { title: 'Admin · Machines' };

export default function AdminMachinesPage() {
  return <FleetPanel />;
}
