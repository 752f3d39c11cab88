'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { MIN_STAKE, UNSTAKE_LOCKUP_MS } from '@/programs/rules';
import type { MachineView } from '@/server/machines/schema';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { cyxText } from '../ui/money';
import { formatLastSeen, formatReputation, parseCyxPrice } from './format';
import { StatusDot } from './StatusDot';
import { UnitCard } from './UnitCard';
import { UtilisationChart } from './UtilisationChart';

type Editing = null | 'rename' | 'price';
type Confirming = null | 'remove' | 'unstake' | 'restake';
const newRequestId = () => crypto.randomUUID().replaceAll('-', '');

/** One machine: its facts and live status, its compute units, the chart, and the owner's actions. */

/** How people read the runner's backend (node-runner/backend-choice.ts). */
const BACKEND_LABELS: Record<string, string> = {
  dawn: 'WGSL through Dawn',
  'torch-cuda': 'PyTorch on CUDA',
  'torch-cpu': 'PyTorch on the CPU',
};
export function MachineCard({ machine, now }: { machine: MachineView; now: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.machines.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.machines.get.queryKey({ id: machine.id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.machines.stake.queryKey({ id: machine.id }) }),
    ]);
  // The registry's own figure: an unbanned machine comes back withdrawn with nothing staked.
  const stake = useQuery(trpc.machines.stake.queryOptions({ id: machine.id }));
  // One id per attempt: a retried click stakes once, a later attempt is a new stake.
  const [restakeRequest, setRestakeRequest] = useState(newRequestId);
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [priceError, setPriceError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const maintenance = useMutation(trpc.machines.setMaintenance.mutationOptions({ onSuccess: refresh }));
  const closing = (close: () => void) => () => {
    close();
    return refresh();
  };
  const rename = useMutation(trpc.machines.rename.mutationOptions({ onSuccess: closing(() => setEditing(null)) }));
  const setPrice = useMutation(trpc.machines.setPrice.mutationOptions({ onSuccess: closing(() => setEditing(null)) }));
  const remove = useMutation(trpc.machines.remove.mutationOptions({ onSuccess: closing(() => setConfirming(null)) }));
  const unstake = useMutation(
    trpc.machines.unstake.mutationOptions({
      onSuccess: (result) => {
        setConfirming(null);
        setNotice(`Unstake requested: the stake can be withdrawn from ${new Date(result.availableAt).toLocaleString()}.`);
        return refresh();
      },
    }),
  );

  const restake = useMutation(
    trpc.machines.restake.mutationOptions({
      onSuccess: (result) => {
        setConfirming(null);
        setRestakeRequest(newRequestId());
        setNotice(`Staked ${cyxText(result.stakeMicro)} again: the machine can take jobs.`);
        return refresh();
      },
    }),
  );

  function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ id: machine.id, name: String(new FormData(event.currentTarget).get('name') ?? '') });
  }

  function onPrice(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseCyxPrice(String(new FormData(event.currentTarget).get('price') ?? ''));
    if ('error' in parsed) return setPriceError(parsed.error);
    setPriceError(null);
    setPrice.mutate({ id: machine.id, pricePerHourMicro: parsed.micro });
  }

  const renameError = rename.isError ? (fieldErrorsOf(rename.error).name ?? messageOf(rename.error)) : undefined;
  const priceFieldError = priceError ?? (setPrice.isError ? (fieldErrorsOf(setPrice.error).pricePerHourMicro ?? messageOf(setPrice.error)) : undefined);
  const actionError = [maintenance, unstake].find((m) => m.isError)?.error;
  const headingId = `machine-${machine.id}-name`;

  return (
    <article className="panel machine-card" data-testid="machine-card" aria-labelledby={headingId}>
      <header className="machine-head">
        <h2 id={headingId}>{machine.name}</h2>
        <StatusDot status={machine.status} />
      </header>
      <dl className="facts machine-facts">
        <dt>System</dt>
        <dd>
          {machine.os.platform} {machine.os.release} ({machine.os.arch})
        </dd>
        <dt>Backend</dt>
        <dd data-testid="machine-backend">{machine.backend ? BACKEND_LABELS[machine.backend] : 'not reported (update the runner)'}</dd>
        <dt>Last seen</dt>
        <dd data-testid="last-seen">{formatLastSeen(machine.lastSeenAt, now)}</dd>
        <dt>Price</dt>
        <dd>{cyxText(machine.pricePerHourMicro)} per hour</dd>
        <dt>Stake</dt>
        <dd>
          {cyxText(stake.data?.stakeMicro ?? machine.stakeMicro)}
          {stake.data && stake.data.status !== 'active' ? <small> ({stake.data.status})</small> : null}
        </dd>
        <dt>Reputation</dt>
        <dd>{formatReputation(machine.reputation)}</dd>
        {machine.metrics ? (
          <>
            <dt>Now</dt>
            <dd>
              CPU {machine.metrics.cpuPercent.toFixed(0)}%{machine.metrics.gpus.map((g) => `, GPU ${g.index} ${g.utilPercent.toFixed(0)}%${g.tempC === undefined ? '' : ` ${g.tempC.toFixed(0)} °C`}`).join('')}
              {machine.metrics.job ? `, job ${machine.metrics.job.id} at ${Math.round(machine.metrics.job.progress * 100)}%` : ''}
            </dd>
          </>
        ) : null}
      </dl>

      <div className="row-actions machine-actions">
        <button type="button" className="button secondary" aria-pressed={machine.maintenance} disabled={maintenance.isPending} onClick={() => maintenance.mutate({ id: machine.id, on: !machine.maintenance })}>
          {machine.maintenance ? 'End maintenance' : 'Maintenance'}
        </button>
        <button type="button" className="button secondary" aria-expanded={editing === 'rename'} onClick={() => setEditing(editing === 'rename' ? null : 'rename')}>
          Rename
        </button>
        <button type="button" className="button secondary" aria-expanded={editing === 'price'} onClick={() => setEditing(editing === 'price' ? null : 'price')}>
          Set price
        </button>
        {stake.data?.canStakeAgain ? (
          <button type="button" className="button primary" onClick={() => setConfirming('restake')}>
            Stake again
          </button>
        ) : (
          <button type="button" className="button secondary" onClick={() => setConfirming('unstake')}>
            Unstake
          </button>
        )}
        <button type="button" className="button danger" onClick={() => setConfirming('remove')}>
          Remove
        </button>
      </div>
      {editing === 'rename' ? (
        <form className="row-form" onSubmit={onRename} noValidate aria-label="Rename machine">
          <label htmlFor={`${machine.id}-name`}>New name</label>
          <input id={`${machine.id}-name`} name="name" defaultValue={machine.name} maxLength={80} aria-invalid={renameError ? true : undefined} />
          <button className="button primary" type="submit" disabled={rename.isPending}>
            Save
          </button>
          {renameError ? <p className="field-error" role="alert">{renameError}</p> : null}
        </form>
      ) : null}
      {editing === 'price' ? (
        <form className="row-form" onSubmit={onPrice} noValidate aria-label="Set price">
          <label htmlFor={`${machine.id}-price`}>CYX per hour</label>
          <input id={`${machine.id}-price`} name="price" inputMode="decimal" defaultValue={cyxText(machine.pricePerHourMicro).replace(' CYX', '')} aria-invalid={priceFieldError ? true : undefined} />
          <button className="button primary" type="submit" disabled={setPrice.isPending}>
            Save
          </button>
          {priceFieldError ? <p className="field-error" role="alert">{priceFieldError}</p> : null}
        </form>
      ) : null}
      {actionError ? (
        <p className="form-error" role="alert">
          {messageOf(actionError)}
        </p>
      ) : null}
      {notice ? <p role="status">{notice}</p> : null}

      <h3>Compute units</h3>
      <ul className="unit-cards">
        {machine.units.map((unit) => (
          <UnitCard key={unit.id} unit={unit} />
        ))}
      </ul>
      <UtilisationChart machineId={machine.id} />

      {confirming === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${machine.name}?`}
          confirmLabel="Remove machine"
          pending={remove.isPending}
          error={remove.isError ? messageOf(remove.error) : null}
          onConfirm={() => remove.mutate({ id: machine.id })}
          onCancel={() => setConfirming(null)}
        >
          <p>Its runner’s credential stops working at once and the runner stops. To offer this machine again, register it again.</p>
        </ConfirmDialog>
      ) : null}
      {confirming === 'restake' ? (
        <ConfirmDialog
          title={`Stake ${machine.name} again?`}
          confirmLabel="Stake again"
          pending={restake.isPending}
          error={restake.isError ? messageOf(restake.error) : null}
          onConfirm={() => restake.mutate({ id: machine.id, requestId: restakeRequest })}
          onCancel={() => setConfirming(null)}
        >
          <p>This locks {cyxText(MIN_STAKE.toString())} from your wallet as the machine&apos;s stake; it takes jobs again once staked.</p>
        </ConfirmDialog>
      ) : null}
      {confirming === 'unstake' ? (
        <ConfirmDialog
          title={`Unstake ${machine.name}?`}
          confirmLabel="Request unstake"
          pending={unstake.isPending}
          error={unstake.isError ? messageOf(unstake.error) : null}
          onConfirm={() => unstake.mutate({ id: machine.id })}
          onCancel={() => setConfirming(null)}
        >
          <p>The stake of {cyxText(machine.stakeMicro)} stays locked for {UNSTAKE_LOCKUP_MS / 86_400_000} days after the request, then it can be withdrawn.</p>
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
