'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Loading } from '../ui/Spinner';
import { cyxText, signedCyx } from '../ui/money';

/** Balances refresh this often, so a payment or a faucet grant in another tab shows up by itself. */
const LIVE_MS = 3_000;

const KIND_LABELS: Record<string, string> = {
  mint: 'Minted',
  transfer: 'Transfer',
  create_escrow: 'Escrow',
  release: 'Payment',
  refund: 'Refund',
  close: 'Escrow closed',
  register_node: 'Stake',
  record_result: 'Job result',
  slash: 'Slash',
  request_unstake: 'Unstake',
  withdraw_stake: 'Withdrawal',
};

function newRequestId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** Balance cards, the dev faucet when the server offers it, and the history from the ledger's log. */
export function WalletView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<string>('');
  const balance = useQuery({ ...trpc.wallet.balance.queryOptions(), refetchInterval: LIVE_MS });
  const historyInput = { limit: 20, ...(kind ? { kind: kind as 'mint' } : {}) };
  const history = useInfiniteQuery(trpc.wallet.history.infiniteQueryOptions(historyInput, { getNextPageParam: (page) => page.nextCursor }));
  // Only the balance is polled; the history (every loaded page a log query) reloads when money moved.
  const moved = balance.data ? `${balance.data.available}/${balance.data.inEscrow}/${balance.data.staked}/${balance.data.unstaking.length}` : null;
  const lastMoved = useRef(moved);
  useEffect(() => {
    if (moved === null || moved === lastMoved.current) return;
    const first = lastMoved.current === null;
    lastMoved.current = moved;
    if (!first) void queryClient.invalidateQueries({ queryKey: trpc.wallet.history.pathKey() });
  }, [moved, queryClient, trpc]);
  // One id per click: a retried request (double click, flaky network) mints once.
  const [requestId, setRequestId] = useState(newRequestId);
  const faucet = useMutation(
    trpc.wallet.faucet.mutationOptions({
      onSuccess: async () => {
        setRequestId(newRequestId());
        await queryClient.invalidateQueries({ queryKey: trpc.wallet.pathKey() });
      },
    }),
  );

  if (balance.isPending) return <Loading label="Loading your wallet…" />;
  if (balance.isError) return <p className="form-error" role="alert">{messageOf(balance.error)}</p>;
  const b = balance.data;
  const rows = history.data?.pages.flatMap((p) => p.entries) ?? [];
  const unstaking = b.unstaking.reduce((sum, u) => sum + BigInt(u.amount), 0n);
  return (
    <>
      <ul className="cards" aria-label="Balances">
        <li className="card">
          <span className="card-value" data-testid="balance-available">{cyxText(b.available)}</span>
          <span className="card-label">available</span>
        </li>
        <li className="card">
          <span className="card-value" data-testid="balance-escrow">{cyxText(b.inEscrow)}</span>
          <span className="card-label">in escrow for jobs</span>
        </li>
        <li className="card">
          <span className="card-value" data-testid="balance-staked">{cyxText(b.staked)}</span>
          <span className="card-label">staked on machines</span>
        </li>
        <li className="card">
          <span className="card-value" data-testid="balance-unstaking">{cyxText(unstaking.toString())}</span>
          <span className="card-label">unstaking</span>
          {b.unstaking.map((u) => (
            <span key={u.nodeId} className="muted">
              {cyxText(u.amount)} frees up {new Date(u.availableAt).toLocaleDateString()}
            </span>
          ))}
        </li>
      </ul>

      {b.faucet ? (
        <section className="panel" aria-labelledby="faucet-heading">
          <h2 id="faucet-heading">Faucet</h2>
          <p className="muted">This server runs in demo mode: get {b.faucet.label} to try staking a machine or paying for a job.</p>
          <button type="button" className="button primary" disabled={faucet.isPending} onClick={() => faucet.mutate({ requestId })}>
            {faucet.isPending ? 'Requesting…' : `Get ${b.faucet.label}`}
          </button>
          {faucet.isSuccess ? (
            <span className="saved" role="status">
              Added {cyxText(faucet.data.amount)}
            </span>
          ) : null}
          {faucet.isError ? (
            <p className="form-error" role="alert">
              {messageOf(faucet.error)}
            </p>
          ) : null}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <label className="field-inline history-filter">
          <span>Show</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Filter history by kind">
            <option value="">Everything</option>
            {Object.entries(KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {history.isPending ? <Loading label="Loading history…" /> : null}
        {history.isError ? <p className="form-error" role="alert">{messageOf(history.error)}</p> : null}
        {history.data && rows.length === 0 ? (
          <EmptyState title={kind ? 'Nothing of this kind yet' : 'No transactions yet'}>
            {kind ? 'Choose another kind, or Everything.' : 'Faucet grants, payments for jobs, machine stakes and earnings will be listed here.'}
          </EmptyState>
        ) : null}
        {rows.length > 0 ? (
          <table className="table" aria-label="Wallet history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">What</th>
                <th scope="col" className="numeric">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.seq} data-testid="history-row">
                  <td>{new Date(row.at).toLocaleString()}</td>
                  <td>{KIND_LABELS[row.kind] ?? row.kind}</td>
                  <td>
                    {row.link ? <Link href={row.link.type === 'job' ? `/jobs/${row.link.id}` : `/machines#machine-${row.link.id}`}>{row.description}</Link> : row.description}
                  </td>
                  <td className={`numeric ${BigInt(row.change) < 0n ? 'negative' : ''}`}>{signedCyx(row.change)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {history.hasNextPage ? (
          <button type="button" className="button secondary" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            {history.isFetchingNextPage ? 'Loading…' : 'Show older'}
          </button>
        ) : null}
      </section>
    </>
  );
}
