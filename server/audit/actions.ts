/** The audit log's actions, dotted and stable (pure: the admin UI lists them as filters). */
export const AUDIT_ACTIONS = [
  'user.role',
  'user.disable',
  'user.enable',
  'user.lockout_reset',
  'ledger.mint',
  'auth.lockout',
  'apikey.create',
  'apikey.revoke',
  'machine.maintenance',
  'machine.ban',
  'machine.unban',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
