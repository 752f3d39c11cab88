'use client';

import { useFormStatus } from 'react-dom';

function SubmitButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className="button secondary" disabled={pending}>
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

/** A real form posting to a server action, so signing out works even before the page is interactive. */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action}>
      <SubmitButton />
    </form>
  );
}
