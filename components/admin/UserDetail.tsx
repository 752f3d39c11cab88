'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { cyxText } from '../ui/money';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';
import { ReasonForm } from './ReasonForm';

type Action = 'promote' | 'demote' | 'disable' | 'enable' | 'resetLockout';
const LABELS: Record<Action, string> = { promote: 'Make admin', demote: 'Make regular user', disable: 'Disable account', enable: 'Enable account', resetLockout: 'Reset sign-in lockout' };

/** One person: what they own, their balance, and the actions, each asking for a reason. */
export function UserDetail({ userId, onClose }: { userId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.admin.users.detail.queryOptions({ userId }));
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = async (message: string) => {
    setAction(null);
    setDone(message);
    await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.admin.users.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.admin.audit.pathKey() })]);
  };
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSuccess: (r) => refresh(r.changed ? `Role is now ${r.user.role}.` : 'The role was already that.') }));
  const disable = useMutation(trpc.admin.users.disable.mutationOptions({ onSuccess: (r) => refresh(`Disabled; sessions ended, ${r.socketsClosed} open socket${r.socketsClosed === 1 ? '' : 's'} closed.`) }));
  const enable = useMutation(trpc.admin.users.enable.mutationOptions({ onSuccess: () => refresh('Enabled again. Their old sessions stay signed out.') }));
  const resetLockout = useMutation(trpc.admin.users.resetLockout.mutationOptions({ onSuccess: () => refresh('Sign-in lockout cleared.') }));
  const mutation = { promote: setRole, demote: setRole, disable, enable, resetLockout }[action ?? 'promote'];

  function run(reason: string) {
    setDone(null);
    if (action === 'promote' || action === 'demote') setRole.mutate({ userId, role: action === 'promote' ? 'admin' : 'user', reason });
    else if (action === 'disable') disable.mutate({ userId, reason });
    else if (action === 'enable') enable.mutate({ userId, reason });
    else if (action === 'resetLockout') resetLockout.mutate({ userId, reason });
  }

  if (detail.isPending) return <Loading label="Loading the account…" />;
  if (detail.isError) return <p className="form-error" role="alert">{messageOf(detail.error)}</p>;
  const u = detail.data;
  const available: Action[] = [u.role === 'admin' ? 'demote' : 'promote', u.disabledAt ? 'enable' : 'disable', 'resetLockout'];
  const fieldErrors = mutation.isError ? fieldErrorsOf(mutation.error) : {};
  return (
    <section className="panel" aria-labelledby="user-detail-heading">
      <h2 id="user-detail-heading">{u.username ?? u.email}</h2>
      <p>
        {u.email} · {u.role}
        {u.roleFromEnv ? ' (from ADMIN_EMAILS)' : ''} · joined {u.createdAt ? new Date(u.createdAt).toLocaleDateString() : '—'} · id <code>{u.id}</code> (filters the audit log by actor)
      </p>
      {u.disabledAt ? (
        <p className="form-error">
          Disabled {new Date(u.disabledAt).toLocaleString()}: {u.disabledReason}
        </p>
      ) : null}
      <ul className="cards" aria-label="What they own">
        {Object.entries(u.counts).map(([label, value]) => (
          <li key={label} className="card">
            <span className="card-value">{value}</span>
            <span className="card-label">{label === 'apiKeys' ? 'API keys' : label}</span>
          </li>
        ))}
        <li className="card">
          <span className="card-value">{cyxText(u.wallet.available)}</span>
          <span className="card-label">available ({cyxText(u.wallet.inEscrow)} in escrow, {cyxText(u.wallet.staked)} staked)</span>
        </li>
      </ul>
      {action ? (
        <ReasonForm key={action} label={LABELS[action]} pending={mutation.isPending} fieldError={fieldErrors.reason} error={mutation.isError && !fieldErrors.reason ? messageOf(mutation.error) : null} onSubmit={run} onCancel={() => setAction(null)} />
      ) : (
        <p className="actions">
          {available.map((a) => (
            <button key={a} type="button" className={a === 'disable' ? 'button danger' : 'button secondary'} onClick={() => { setDone(null); setAction(a); }}>
              {LABELS[a]}
            </button>
          ))}
          <button type="button" className="button secondary" onClick={onClose}>
            Close
          </button>
        </p>
      )}
      {done ? <p role="status">{done}</p> : null}
    </section>
  );
}
