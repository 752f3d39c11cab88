import type { MachineStatus } from '@/server/machines/schema';

const LABELS: Record<MachineStatus, string> = {
  online: 'Online',
  busy: 'Busy',
  maintenance: 'Maintenance',
  offline: 'Offline',
  inactive: 'Inactive',
  banned: 'Banned',
};

/** The coloured dot with its word: colour alone never carries the meaning. */
export function StatusDot({ status }: { status: MachineStatus }) {
  return (
    <span className={`machine-status machine-status-${status}`} data-testid="machine-status" data-status={status}>
      <span className="machine-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
