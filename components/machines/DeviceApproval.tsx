'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';
import { useHydrated } from '../ui/useHydrated';

/** Approves a runner's device login: the signed-in person confirms the code the runner printed. */
export function DeviceApproval({ initialCode }: { initialCode: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const approve = useMutation(trpc.machines.deviceApprove.mutationOptions());
  const [code, setCode] = useState(initialCode);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    approve.mutate({ userCode: code });
  }

  if (approve.isSuccess) {
    return (
      <div className="panel" role="status">
        <h2>Runner approved</h2>
        <p>The runner that printed {code.toUpperCase()} is now logged in as you and carries on by itself; you can close this page.</p>
        <p>
          Next on that machine: <code>npm run runner -- register --name &quot;my-gpu-box&quot; --price 0.5</code>, then <code>npm run runner -- start</code>. It will appear on{' '}
          <Link href="/machines">My machines</Link>.
        </p>
      </div>
    );
  }
  const error = approve.isError ? (fieldErrorsOf(approve.error).userCode ?? messageOf(approve.error)) : undefined;
  return (
    <form className="panel" onSubmit={onSubmit} noValidate>
      <p>
        A node-runner asks to use your account. Approve only if <strong>you</strong> started it and it shows this code; it gets an API key named
        “node-runner (device login)”, which you can revoke on your Profile page.
      </p>
      <Field label="Code shown by the runner" name="userCode" value={code} onChange={(e) => setCode(e.target.value)} placeholder="ABCD-EFGH" maxLength={20} autoComplete="off" error={error} />
      <button className="button primary" type="submit" disabled={!hydrated || approve.isPending || !code.trim()}>
        {approve.isPending ? 'Approving…' : 'Approve this runner'}
      </button>
    </form>
  );
}
