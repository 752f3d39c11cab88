import { classifyFailure, isCredentialRejected, type ApiFailure } from './api-failure';
import { backoffDelayMs } from './backoff';
import { systemClock, type Clock } from './clock';
import { inventoryHash, type Inventory } from './inventory';
import type { Metrics } from './metrics';
import type { HeldJob } from '../server/jobs/runner-protocol';

export const HEARTBEAT_INTERVAL_MS = 10_000;
/** How often the hardware is looked at again; the platform asks for it when the hash changed. */
export const INVENTORY_REFRESH_MS = 5 * 60_000;

export type UnitState = 'active' | 'paused';

export interface HeartbeatAnswer {
  status: string;
  units: { id: string; status: UnitState }[];
  inventoryWanted: boolean;
  /** The job leases this machine holds (the heartbeat renewed them); absent from platforms that predate jobs. */
  jobs?: HeldJob[];
}

/** The two runner procedures the loop calls (server/trpc/routers: runner.heartbeat, runner.inventory). */
export interface HeartbeatApi {
  heartbeat(input: { metrics: Metrics; inventoryHash?: string; machineId?: string }): Promise<HeartbeatAnswer>;
  inventory(input: { inventory: Inventory }): Promise<unknown>;
}

export type LoopEvent =
  | { type: 'beat'; answer: HeartbeatAnswer; at: number }
  | { type: 'unit-changed'; unitId: string; status: UnitState }
  | { type: 'inventory-sent'; hash: string }
  | { type: 'retrying'; failures: number; delayMs: number; failure: ApiFailure }
  | { type: 'too-fast'; delayMs: number }
  | { type: 'recovered'; afterFailures: number };

export type LoopEnd =
  | { reason: 'stopped' }
  /** 401: the owner removed the machine or the platform does not know the credential. */
  | { reason: 'revoked'; failure: ApiFailure }
  /** Another 4xx: asking again would be answered the same. */
  | { reason: 'refused'; failure: ApiFailure };

export interface HeartbeatLoopOptions {
  api: HeartbeatApi;
  machineId?: string;
  sampleMetrics: () => Promise<Metrics>;
  collectInventory: () => Promise<Inventory>;
  /** What was sent at registration, if at hand; otherwise collected before the first beat. */
  inventory?: Inventory;
  intervalMs?: number;
  inventoryRefreshMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  onEvent?: (event: LoopEvent) => void;
}

/**
 * Beats until stopped: one heartbeat every interval with fresh metrics; unreachable platform →
 * back off 1, 2, 4, 8, 16 s then every 30 s, for ever; the credential refused → end (the caller
 * exits 3). Unit statuses the owner changes on the website arrive in the answers.
 */
export async function runHeartbeatLoop(options: HeartbeatLoopOptions): Promise<LoopEnd> {
  const clock = options.clock ?? systemClock;
  const interval = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const refreshEvery = options.inventoryRefreshMs ?? INVENTORY_REFRESH_MS;
  const emit = options.onEvent ?? (() => undefined);
  const stopped = () => options.signal?.aborted === true;

  let inventory = options.inventory ?? (await options.collectInventory());
  let hash = inventoryHash(inventory);
  let lookedAt = clock.now();
  let failures = 0;
  const units = new Map<string, UnitState>();

  while (!stopped()) {
    if (clock.now() - lookedAt >= refreshEvery) {
      lookedAt = clock.now();
      const fresh = await options.collectInventory().catch(() => null);
      if (fresh) {
        inventory = fresh;
        hash = inventoryHash(fresh);
      }
    }
    let wait = interval;
    try {
      const answer = await options.api.heartbeat({ metrics: await options.sampleMetrics(), inventoryHash: hash, ...(options.machineId ? { machineId: options.machineId } : {}) });
      if (failures > 0) emit({ type: 'recovered', afterFailures: failures });
      failures = 0;
      emit({ type: 'beat', answer, at: clock.now() });
      for (const unit of answer.units) {
        const before = units.get(unit.id);
        units.set(unit.id, unit.status);
        if (before !== undefined && before !== unit.status) emit({ type: 'unit-changed', unitId: unit.id, status: unit.status });
      }
      if (answer.inventoryWanted) {
        await options.api.inventory({ inventory });
        emit({ type: 'inventory-sent', hash });
      }
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'refused') return isCredentialRejected(failure) ? { reason: 'revoked', failure } : { reason: 'refused', failure };
      if (failure.kind === 'too-fast') {
        emit({ type: 'too-fast', delayMs: interval });
      } else {
        failures++;
        wait = backoffDelayMs(failures);
        emit({ type: 'retrying', failures, delayMs: wait, failure });
      }
    }
    await clock.sleep(wait, options.signal);
  }
  return { reason: 'stopped' };
}
