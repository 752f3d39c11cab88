import type { ReactNode } from 'react';
import { AdminNav } from '@/components/admin/AdminNav';
import { currentUser } from '@/server/auth/current-user';

/** Every admin page is for admins only (the procedures check again on the server). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
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
      <AdminNav />
      {children}
    </>
  );
}
