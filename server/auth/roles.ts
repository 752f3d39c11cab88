import type { Role } from '../db/collections';

export function adminEmails(): Set<string> {
  return new Set(
    (process.env.ADMIN_EMAILS ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** ADMIN_EMAILS promotes an account to admin; otherwise the stored role decides. */
export function effectiveRole(email: string | null | undefined, stored: Role | undefined): Role {
  if (email && adminEmails().has(email.toLowerCase())) return 'admin';
  return stored ?? 'user';
}
