import { ObjectId, type Db } from 'mongodb';
import type { NodeStatus } from '../../programs';
import { collections } from '../db/collections';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { machinesCollection, type MachineDoc } from '../machines/collections';
import type { MachineStatus, RunnerBackend } from '../machines/schema';
import { deriveStatus } from '../machines/status';
import { withLedger } from '../wallet/money-error';

export const MACHINE_FILTERS = ['online', 'offline', 'busy', 'banned', 'maintenance'] as const;
export type MachineFilter = (typeof MACHINE_FILTERS)[number];
export const MACHINE_PAGE_MAX = 100;

/** One machine as the admin fleet list shows it; money as µCYX strings, the registry's figures from the ledger. */
export interface AdminMachineRow {
  id: string;
  name: string;
  owner: { id: string; name: string };
  status: MachineStatus;
  backend: RunnerBackend | null;
  lastSeenAt: Date | null;
  pricePerHourMicro: string;
  /** The node registry's view: what is staked now, everything slashed, and its record. */
  registry: { status: NodeStatus | 'unregistered'; stakeMicro: string; slashedMicro: string; jobs: number; successes: number; successRate: number | null; consecutiveFailures: number };
  currentJobId: string | null;
  maintenance: boolean;
  banReason: string | null;
}

function matches(filter: MachineFilter | undefined, status: MachineStatus): boolean {
  if (!filter) return true;
  // Inactive machines (silent for a week) are offline too, as far as anyone looking for them cares.
  if (filter === 'offline') return status === 'offline' || status === 'inactive';
  return status === filter;
}

/**
 * Every machine not removed, newest first, with its owner and its registry record. One read of the
 * machines (without samples and inventory: the scheduler's pass reads the same set), one of their
 * owners, one look at the ledger view; the status filter applies to the derived status, exactly as
 * the list shows it, so it is applied here rather than approximated in the query.
 */
export async function listFleet(db: Db, query: { status?: MachineFilter; ownerId?: string; cursor?: string; limit: number }, now: Date): Promise<{ rows: AdminMachineRow[]; nextCursor: string | null; counts: Record<MachineStatus, number> }> {
  const filter: Record<string, unknown> = { removedAt: null };
  if (query.ownerId) {
    if (!ObjectId.isValid(query.ownerId)) throw new AppError('BAD_REQUEST', 'OWNER_INVALID', 'The owner id is not valid.', 'ownerId');
    filter.ownerId = new ObjectId(query.ownerId);
  }
  const docs = await machinesCollection(db).find(filter, { projection: { samples: 0, inventoryJson: 0, unitsJson: 0, metricsJson: 0 } }).toArray();
  docs.sort((a, b) => (a._id.toHexString() < b._id.toHexString() ? 1 : -1));
  const counts: Record<MachineStatus, number> = { online: 0, busy: 0, offline: 0, inactive: 0, maintenance: 0, banned: 0 };
  const withStatus = docs.map((doc) => ({ doc, status: deriveStatus(doc, now) }));
  for (const { status } of withStatus) counts[status] += 1;
  let chosen = withStatus.filter(({ status }) => matches(query.status, status));
  if (query.cursor) chosen = chosen.filter(({ doc }) => doc._id.toHexString() < query.cursor!);
  const limit = Math.min(Math.max(1, query.limit), MACHINE_PAGE_MAX);
  const page = chosen.slice(0, limit);
  const rows = await rowsOf(db, page);
  return { rows, nextCursor: chosen.length > limit ? page[page.length - 1]!.doc._id.toHexString() : null, counts };
}

async function rowsOf(db: Db, page: { doc: MachineDoc; status: MachineStatus }[]): Promise<AdminMachineRow[]> {
  const ownerIds = [...new Map(page.map(({ doc }) => [doc.ownerId.toHexString(), doc.ownerId])).values()];
  const [owners, nodes] = await Promise.all([
    ownerIds.length ? collections(db).users.find({ _id: { $in: ownerIds } }, { projection: { username: 1, email: 1 } }).toArray() : [],
    withLedger(async () => (await getLedger(db)).inspect((state) => page.map(({ doc }) => state.nodes.get(doc._id.toHexString())))),
  ]);
  const ownerName = new Map(owners.map((u) => [u._id.toHexString(), u.username ?? u.email]));
  return page.map(({ doc, status }, i) => {
    const node = nodes[i];
    const jobs = node?.jobs ?? 0;
    const successes = node?.successes ?? 0;
    return {
      id: doc._id.toHexString(),
      name: doc.name,
      owner: { id: doc.ownerId.toHexString(), name: ownerName.get(doc.ownerId.toHexString()) ?? doc.ownerId.toHexString() },
      status,
      backend: doc.backend ?? null,
      lastSeenAt: doc.lastSeenAt,
      pricePerHourMicro: doc.pricePerHourMicro,
      registry: {
        status: node?.status ?? 'unregistered',
        stakeMicro: (node?.stake ?? 0n).toString(),
        slashedMicro: (node?.slashed ?? 0n).toString(),
        jobs,
        successes,
        successRate: jobs > 0 ? successes / jobs : null,
        consecutiveFailures: node?.consecutiveFailures ?? 0,
      },
      currentJobId: doc.jobId,
      maintenance: doc.maintenance,
      banReason: doc.banReason ?? null,
    };
  });
}
