'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { cyxText } from '../ui/money';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';

const newRequestId = () => crypto.randomUUID().replaceAll('-', '');

/** Mint CYX to a person with a reason (audited), and replay the whole ledger to check it. */
export function LedgerPanel() {
  const trpc = useTRPC();
  const [requestId, setRequestId] = useState(newRequestId);
  const mint = useMutation(trpc.admin.ledger.mint.mutationOptions({ onSuccess: () => setRequestId(newRequestId()) }));
  const verify = useMutation(trpc.admin.ledger.verify.mutationOptions());

  function onMint(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    mint.mutate({ to: String(form.get('to') ?? ''), amount: String(form.get('amount') ?? ''), reason: String(form.get('reason') ?? ''), requestId });
  }

  const errors = mint.isError ? fieldErrorsOf(mint.error) : {};
  const report = verify.data;
  return (
    <section className="panel" aria-labelledby="ledger-heading">
      <h2 id="ledger-heading">Ledger</h2>
      <form className="inline-form" onSubmit={onMint} noValidate aria-label="Mint CYX">
        <Field label="To (username or email)" name="to" maxLength={254} error={errors.to} />
        <Field label="Amount (CYX)" name="amount" inputMode="decimal" placeholder="e.g. 25" error={errors.amount} />
        <Field label="Reason" name="reason" maxLength={200} placeholder="kept in the audit log" error={errors.reason} />
        <button type="submit" className="button primary" disabled={mint.isPending}>
          {mint.isPending ? 'Minting…' : 'Mint'}
        </button>
      </form>
      {mint.isSuccess ? (
        <p role="status">
          Minted {cyxText(mint.data.amount)} to {mint.data.to} (log entry {mint.data.seq}).
        </p>
      ) : null}
      {mint.isError && Object.keys(errors).length === 0 ? (
        <p className="form-error" role="alert">
          {messageOf(mint.error)}
        </p>
      ) : null}
      <p>
        <button type="button" className="button secondary" disabled={verify.isPending} onClick={() => verify.mutate()}>
          {verify.isPending ? 'Replaying the log…' : 'Verify the ledger'}
        </button>
      </p>
      {verify.isError ? (
        <p className="form-error" role="alert">
          {messageOf(verify.error)}
        </p>
      ) : null}
      {report ? (
        <div role="status" data-testid="ledger-verify">
          <p>
            {report.matchesLive ? 'The replay matches the live balances' : 'The replay does NOT match the live balances'}: {report.instructions.toLocaleString()} instructions in {Math.round(report.ms)} ms;
            supply {cyxText(report.supply.minted)} minted, {cyxText(report.supply.held)} held.
          </p>
          <ul>
            {report.invariants.map((i) => (
              <li key={i.name}>
                {i.ok ? '✓' : '✗'} {i.name}
                {i.detail ? ` — ${i.detail}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
