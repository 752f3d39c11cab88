'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';
import { UserDetail } from './UserDetail';

interface Search {
  query?: string;
  role?: 'user' | 'admin';
  disabled?: boolean;
}

/** Find people (exact email or username, or everyone newest first), narrow by role and status, open one. */
export function UsersPanel() {
  const trpc = useTRPC();
  const [search, setSearch] = useState<Search>({});
  // Cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery(trpc.admin.users.search.queryOptions({ ...search, cursor, limit: 25 }));
  const [openId, setOpenId] = useState<string | null>(null);

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const role = String(form.get('role') ?? '');
    const status = String(form.get('status') ?? '');
    setCursors([]);
    setSearch({
      query: String(form.get('query') ?? '').trim() || undefined,
      role: role === 'admin' || role === 'user' ? role : undefined,
      disabled: status === 'disabled' ? true : status === 'active' ? false : undefined,
    });
  }

  return (
    <section className="panel" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <form className="inline-form" onSubmit={onSearch} aria-label="Search users">
        <div className="field">
          <label htmlFor="user-query">Email or username</label>
          <input id="user-query" name="query" maxLength={254} placeholder="exact match; empty lists everyone" aria-describedby="user-query-hint" />
          <p className="hint" id="user-query-hint">
            Matches a whole email or username (any case), not part of one; leave it empty to page through everyone, newest first.
          </p>
        </div>
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" name="role" defaultValue="">
            <option value="">Any</option>
            <option value="admin">Admins</option>
            <option value="user">Users</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-status">Status</label>
          <select id="user-status" name="status" defaultValue="">
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <button type="submit" className="button primary">
          Search
        </button>
      </form>
      {list.isPending ? <Loading label="Loading accounts…" /> : null}
      {list.isError ? (
        <p className="form-error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {list.isSuccess && list.data.rows.length === 0 ? <p role="status">{search.query ? `No account has the email or username “${search.query}”.` : 'No accounts match these filters.'}</p> : null}
      {list.isSuccess && list.data.rows.length > 0 ? (
        <table className="table" aria-label="Accounts">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.rows.map((u) => (
              <tr key={u.id} aria-selected={openId === u.id}>
                <td>{u.username ?? '—'}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{u.disabledAt ? 'disabled' : 'active'}</td>
                <td>{u.createdAt ? new Date(u.createdAt).toLocaleDateString() : '—'}</td>
                <td>
                  <button type="button" className="button secondary" onClick={() => setOpenId(u.id)} aria-label={`Open ${u.username ?? u.email}`}>
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="actions">
        {cursors.length > 0 ? (
          <button type="button" className="button secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous
          </button>
        ) : null}
        {list.data?.nextCursor ? (
          <button type="button" className="button secondary" onClick={() => setCursors((c) => [...c, list.data!.nextCursor!])}>
            Next
          </button>
        ) : null}
      </p>
      {openId ? <UserDetail key={openId} userId={openId} onClose={() => setOpenId(null)} /> : null}
    </section>
  );
}
