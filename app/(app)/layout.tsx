import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/AppShell';
import { currentUser } from '@/server/auth/current-user';
import { signOut } from '@/server/auth/next-auth';

async function signOutAction() {
  'use server';
  await signOut({ redirectTo: '/signin' });
}

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // The proxy already redirects; this covers sessions whose account has since been deleted.
  if (!user) redirect('/signin');
  return (
    <AppShell user={{ name: user.username ?? user.email, email: user.email, role: user.role }} signOutAction={signOutAction}>
      {children}
    </AppShell>
  );
}
