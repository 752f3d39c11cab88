import { UsersPanel } from '@/components/admin/UsersPanel';

export const metadata = { title: 'Admin · Users' };

export default function AdminUsersPage() {
  return <UsersPanel />;
}
