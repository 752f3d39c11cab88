'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { STATUS_LABELS } from '../jobs/job-format';
import { messageOf, useTRPC } from '../trpc/client';
import { relativeTime } from '../ui/relative-time';
import { Loading } from '../ui/Spinner';

const percent = (x: number | null) => (x === null ? null : `${Math.round(x * 100)}%`);

/** Recent models, runs and network jobs: where a person picks up their work, with a way to start when there is none. */
export function RecentActivity() {
  const trpc = useTRPC();
  const recent = useQuery(trpc.dashboard.recent.queryOptions());
  if (recent.isPending) return <Loading label="Loading your recent work…" />;
  if (recent.isError) return <p className="form-error" role="alert">{messageOf(recent.error)}</p>;
  const { models, runs, jobs } = recent.data;
  return (
    <div className="dashboard-recent">
      <RecentList title="Recent models" more={{ href: '/models', label: 'All models' }} empty={<>No models yet. <Link href="/models">Create one from a template</Link> and open it in the editor.</>} testId="recent-models">
        {models.map((m) => (
          <li key={m.id}>
            <Link href={`/models/${m.id}`} className="recent-title">{m.name}</Link>
            <span className="muted">
              {m.mine ? 'yours' : `${m.owner}’s, you are ${m.role === 'viewer' ? 'a viewer' : 'an editor'}`} · edited <time dateTime={new Date(m.updatedAt).toISOString()}>{relativeTime(m.updatedAt)}</time>
              {m.collaborators > 0 ? ` · ${m.collaborators} collaborator${m.collaborators === 1 ? '' : 's'}` : ''}
            </span>
          </li>
        ))}
      </RecentList>
      <RecentList title="Recent runs" empty={<>No saved runs yet. Train a model in the editor’s Train tab; finished runs are saved here.</>} testId="recent-runs">
        {runs.map((r) => (
          <li key={r.id}>
            <Link href={`/models/${r.modelId}`} className="recent-title">{r.name}</Link>
            <span className="muted">
              {r.modelName} · {r.dataset} · {r.epochs} epoch{r.epochs === 1 ? '' : 's'}
              {percent(r.testAccuracy ?? r.finalAccuracy) ? ` · ${percent(r.testAccuracy ?? r.finalAccuracy)} ${r.testAccuracy !== null ? 'test' : 'validation'} accuracy` : ''}
              {r.status === 'stopped' ? ' · stopped early' : ''} · <time dateTime={r.createdAt}>{relativeTime(r.createdAt)}</time>
            </span>
          </li>
        ))}
      </RecentList>
      <RecentList title="Network jobs" more={{ href: '/jobs', label: 'All jobs' }} empty={<>No network jobs yet. Larger models can train on providers’ GPUs: use “Train on the network” in the editor.</>} testId="recent-jobs">
        {jobs.map((j) => (
          <li key={j.id}>
            <Link href={`/jobs/${j.id}`} className="recent-title">{j.modelName ?? 'A deleted model'}</Link>
            <span className="muted">
              {STATUS_LABELS[j.status]}
              {j.progress !== null && j.progress < 1 ? ` · ${Math.round(j.progress * 100)}%` : ''}
              {j.machineName ? ` · on ${j.machineName}` : ''} · <time dateTime={j.createdAt}>{relativeTime(j.createdAt)}</time>
            </span>
          </li>
        ))}
      </RecentList>
    </div>
  );
}

function RecentList({ title, more, empty, testId, children }: { title: string; more?: { href: string; label: string }; empty: ReactNode; testId: string; children: ReactNode[] }) {
  const id = `${testId}-heading`;
  return (
    <section className="recent-card" aria-labelledby={id} data-testid={testId}>
      <header>
        <h2 id={id}>{title}</h2>
        {more && children.length > 0 ? <Link href={more.href}>{more.label}</Link> : null}
      </header>
      {children.length === 0 ? <p className="muted recent-empty">{empty}</p> : <ul className="recent-list">{children}</ul>}
    </section>
  );
}
