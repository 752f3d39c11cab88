import Link from 'next/link';
import type { ReactNode } from 'react';
import { ThemeSwitch } from '../theme/ThemeSwitch';
import { AccountMenu } from './AccountMenu';
import { NavLinks } from './NavLinks';
import { SignOutButton } from './SignOutButton';

export interface ShellUser {
  name: string;
  email: string;
  role: 'user' | 'admin';
}

export function AppShell({ user, signOutAction, children }: { user: ShellUser; signOutAction: () => Promise<void>; children: ReactNode }) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/dashboard" className="brand">
          CyxWiz
        </Link>
        <div className="topbar-user">
          <Link href="/profile" className="user-chip" title={user.email}>
            <span className="avatar" aria-hidden="true">
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name">{user.name}</span>
          </Link>
          <SignOutButton action={signOutAction} />
        </div>
      </header>
      {/* In the editor this collapses to an icon rail (CSS: .shell:has(.editor)), with the brand on top. */}
      <nav className="sidebar" aria-label="Main">
        <Link href="/dashboard" className="rail-brand" title="CyxWiz dashboard" aria-label="CyxWiz dashboard">
          C
        </Link>
        <NavLinks isAdmin={user.role === 'admin'} />
        {/* In the sidebar, not the top bar: the editor hides the top bar but keeps the rail. */}
        <ThemeSwitch />
        {/* Shown only where the top bar is hidden (the editor's rail, its phone view): Sign out stays reachable. */}
        <AccountMenu name={user.name} email={user.email} signOutAction={signOutAction} />
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
