'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';

export function DashboardCounts() {
  const trpc = useTRPC();
  const counts = useQuery(trpc.dashboard.counts.queryOptions());
  if (counts.isPending) return <Loading label="Loading your numbers…" />;
  if (counts.isError) return <p className="form-error" role="alert">{messageOf(counts.error)}</p>;
  const cards = [
    { label: 'My models', value: counts.data.models, href: '/models' },
    { label: 'Shared with me', value: counts.data.sharedModels, href: '/models' },
    { label: 'Jobs', value: counts.data.jobs, href: '/jobs' },
    { label: 'Machines', value: counts.data.machines, href: '/machines' },
    { label: 'API keys', value: counts.data.apiKeys, href: '/profile#api-keys' },
  ];
  return (
    <ul className="cards" aria-label="Your counts">
      {cards.map((card) => (
        <li key={card.label}>
          <Link href={card.href} className="card">
            <span className="card-value" data-testid={`count-${card.label}`}>{card.value}</span>
            <span className="card-label">{card.label}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
