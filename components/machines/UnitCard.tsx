'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UnitView } from '@/server/machines/schema';
import { messageOf, useTRPC } from '../trpc/client';
import { formatBytes } from '../ui/format-bytes';
import { cyxText } from '../ui/money';
import { describeSpeed } from '@/server/jobs/unit-speed';


/** One compute unit: what it is, what it offers, and the owner's active / paused switch. */
export function UnitCard({ unit }: { unit: UnitView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toggle = useMutation(
    trpc.machines.setUnitStatus.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.machines.list.queryKey() }),
    }),
  );
  const paused = unit.status === 'paused';
  const label = `${unit.kind === 'gpu' ? 'GPU' : 'CPU'} ${unit.index}: ${unit.device}`;
  return (
    <li className="unit-card" data-testid="unit-card" data-unit-status={unit.status} aria-label={label}>
      <div className="unit-head">
        <strong>{unit.device}</strong>
        <span className="badge">{unit.kind === 'gpu' ? `GPU ${unit.index}` : 'CPU'}</span>
        <span className={paused ? 'unit-state paused' : 'unit-state active'}>{paused ? 'Paused' : 'Active'}</span>
      </div>
      <dl className="facts unit-facts">
        <dt>{unit.kind === 'gpu' ? 'VRAM' : 'RAM'}</dt>
        {/* WebGPU cannot tell a card's memory: 0 then means unknown, not none. */}
        <dd>{unit.vramBytes > 0 ? formatBytes(unit.vramBytes) : 'unknown'}</dd>
        <dt>Offered / reserved</dt>
        <dd>
          {formatBytes(unit.vramOffered)} / {formatBytes(unit.vramReserved)}
        </dd>
        <dt>Tasks completed</dt>
        <dd>{unit.tasksCompleted}</dd>
        <dt>Earnings</dt>
        <dd>{cyxText(unit.earningsMicro)}</dd>
        {unit.speed ? (
          <>
            <dt>Speed</dt>
            <dd data-testid="unit-speed" data-source={unit.speed.source} title="Measured by the platform between verified checkpoints; until then, an estimate for its kind of device">
              {describeSpeed(unit.speed)}
            </dd>
          </>
        ) : null}
      </dl>
      <button
        type="button"
        className="button secondary"
        aria-pressed={!paused}
        aria-label={`${paused ? 'Resume' : 'Pause'} ${label}`}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate({ unitId: unit.id, status: paused ? 'active' : 'paused' })}
      >
        {toggle.isPending ? 'Saving…' : paused ? 'Resume' : 'Pause'}
      </button>
      {toggle.isError ? (
        <p className="form-error" role="alert">
          {messageOf(toggle.error)}
        </p>
      ) : null}
    </li>
  );
}
