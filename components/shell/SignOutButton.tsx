'use client';

import { useFormStatus } from 'react-dom';

function SubmitButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className="button secondary" disabled={pending} title="Signs you out on every device and browser">
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

/**
 * A real form posting to a server action, so signing out works even before the page is interactive.
 * Signing out ends every session of the account, not just this browser's (server/auth/end-sessions.ts).
 */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action}>
      <SubmitButton />
    </form>
  );
}
