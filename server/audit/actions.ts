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
  /** A slash the platform made by itself (a lease that expired, a checkpoint that did not verify): no actor. */
  'machine.slash',
  'job.cancel',
  'job.requeue',
  'job.invalidate',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
