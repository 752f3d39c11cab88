'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button secondary"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ redirectTo: '/signin' });
      }}
    >
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
