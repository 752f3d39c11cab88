'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { SignOutButton } from './SignOutButton';

/**
 * The account menu of the icon rail, for pages that hide the top bar (the editor, also on a
 * phone): who is signed in, their profile, and Sign out. A disclosure (details/summary), so it
 * opens with Enter or Space; Esc or a click elsewhere closes it.
 */
export function AccountMenu({ name, email, signOutAction }: { name: string; email: string; signOutAction: () => Promise<void> }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (event: Event) => {
      const el = ref.current;
      if (!el?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        el.open = false;
        el.querySelector('summary')?.focus();
        return;
      }
      if (!el.contains(event.target as Node)) el.open = false;
    };
    document.addEventListener('keydown', close);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('pointerdown', close);
    };
  }, []);
  return (
    <details className="rail-account" ref={ref}>
      <summary aria-label={`Account: ${name}`} title={`${name} (${email})`}>
        <span className="avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
      </summary>
      <div className="rail-account-menu" role="group" aria-label="Account">
        <p className="rail-account-who">
          <strong>{name}</strong>
          <span>{email}</span>
        </p>
        <Link href="/profile">Profile</Link>
        <SignOutButton action={signOutAction} />
      </div>
    </details>
  );
}
