'use client';

import { useQuery } from '@tanstack/react-query';
import { messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';

export function AdminOverview() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.admin.overview.queryOptions());
  if (overview.isPending) return <Loading label="Loading the platform overview…" />;
  if (overview.isError) return <p className="form-error" role="alert">{messageOf(overview.error)}</p>;
  const { counts, recentUsers } = overview.data;
  return (
    <>
      <ul className="cards" aria-label="Platform counts">
        {Object.entries(counts).map(([label, value]) => (
          <li key={label} className="card">
            <span className="card-value">{value}</span>
            <span className="card-label">{label}</span>
          </li>
        ))}
      </ul>
      <h2>Newest accounts</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          {recentUsers.map((u) => (
            <tr key={u.id}>
              <td>{u.username ?? '—'}</td>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>{u.createdAt ? new Date(u.createdAt).toLocaleDateString() : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
