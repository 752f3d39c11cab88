import type { MachineStatus } from './schema';

/** A duration from the environment, read at each call (so tests can shorten windows after import). */
export function msFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number of milliseconds > 0, got "${raw}"`);
  return value;
}

/** A machine is online while its last heartbeat is at most this old (runners beat every 10 s). */
export const ONLINE_WINDOW_MS_DEFAULT = 15_000;
export const INACTIVE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** At most one heartbeat per machine this often; runners beat every 10 s. */
export const HEARTBEAT_MIN_INTERVAL_MS_DEFAULT = 2_000;

/** Read at each call so a test (or e2e's short window) can set the env after import. */
export function onlineWindowMs(): number {
  return msFromEnv('CYXWIZ_MACHINE_ONLINE_MS', ONLINE_WINDOW_MS_DEFAULT);
}

export function heartbeatMinIntervalMs(): number {
  return msFromEnv('CYXWIZ_HEARTBEAT_MIN_INTERVAL_MS', HEARTBEAT_MIN_INTERVAL_MS_DEFAULT);
}

/**
 * The status people see, derived on every read from what was stored: an administrator's ban wins
 * (the scheduler offers a banned machine nothing), then the owner's maintenance flag; then silence (offline, and inactive after a week); a machine heard from recently is busy
 * while its last heartbeat named a job, else online. A runner that signed off (stopped cleanly) is
 * offline at once until its next heartbeat clears the mark, so nothing is leased to a machine that is
 * going away (the order of the two writes decides, not their times, which may be the same instant).
 */
export function deriveStatus(
  machine: { maintenance: boolean; lastSeenAt: Date | null; registeredAt: Date; jobId: string | null; bannedAt?: Date | null; signedOffAt?: Date | null },
  now: Date,
): MachineStatus {
  if (machine.bannedAt) return 'banned';
  if (machine.maintenance) return 'maintenance';
  const silentMs = now.getTime() - (machine.lastSeenAt ?? machine.registeredAt).getTime();
  if (silentMs > INACTIVE_AFTER_MS) return 'inactive';
  if (!machine.lastSeenAt || silentMs > onlineWindowMs()) return 'offline';
  if (machine.signedOffAt) return 'offline';
  return machine.jobId ? 'busy' : 'online';
}
