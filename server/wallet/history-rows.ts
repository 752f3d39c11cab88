import { ObjectId, type Db } from 'mongodb';
import { formatCyx, type Instruction } from '../../programs';
import { collections } from '../db/collections';
import type { HistoryEntry } from '../ledger';
import { machinesCollection } from '../machines/collections';

/** One wallet history line as the page shows it: amounts as µCYX strings (JSON has no bigint). */
export interface HistoryRow {
  seq: number;
  kind: Instruction['kind'];
  at: string;
  /** The change to this person's available balance, signed µCYX. */
  change: string;
  description: string;
  link: { type: 'job' | 'machine'; id: string } | null;
}

const short = (id: string) => (id.length > 10 ? `${id.slice(0, 8)}…` : id);

/** Display names of the people and machines a page mentions, one query each. */
async function namesFor(db: Db, entries: readonly HistoryEntry[]): Promise<{ person: (id: string) => string; machine: (id: string) => string }> {
  const people = new Set<string>();
  const machines = new Set<string>();
  for (const { instruction: i } of entries) {
    if (i.kind === 'mint') people.add(i.by);
    if (i.kind === 'transfer') [i.from, i.to].forEach((id) => people.add(id));
    if ('nodeId' in i) machines.add(i.nodeId);
  }
  const ids = (set: Set<string>) => [...set].filter((id) => ObjectId.isValid(id)).map((id) => new ObjectId(id));
  const [users, machineDocs] = await Promise.all([
    people.size ? collections(db).users.find({ _id: { $in: ids(people) } }, { projection: { username: 1, email: 1 } }).toArray() : [],
    machines.size ? machinesCollection(db).find({ _id: { $in: ids(machines) } }, { projection: { name: 1 } }).toArray() : [],
  ]);
  const personNames = new Map(users.map((u) => [u._id.toHexString(), u.username ?? u.email]));
  const machineNames = new Map(machineDocs.map((m) => [m._id.toHexString(), m.name]));
  return { person: (id) => personNames.get(id) ?? short(id), machine: (id) => machineNames.get(id) ?? `machine ${short(id)}` };
}

function describe(i: Instruction, userId: string, names: Awaited<ReturnType<typeof namesFor>>): Pick<HistoryRow, 'description' | 'link'> {
  const job = (id: string) => ({ type: 'job' as const, id });
  const machine = (id: string) => ({ type: 'machine' as const, id });
  switch (i.kind) {
    case 'mint':
      return { description: i.by === 'faucet' ? 'Faucet' : `Minted by ${names.person(i.by)}: ${i.reason}`, link: null };
    case 'transfer': {
      const memo = i.memo ? ` (${i.memo})` : '';
      return { description: i.from === userId ? `Sent to ${names.person(i.to)}${memo}` : `Received from ${names.person(i.from)}${memo}`, link: null };
    }
    case 'create_escrow':
      return { description: `${formatCyx(i.amount)} held in escrow for job ${short(i.escrowId)}`, link: job(i.escrowId) };
    case 'release':
      return { description: i.provider === userId ? `Earned for job ${short(i.escrowId)} (${i.reason})` : `Paid from escrow for job ${short(i.escrowId)} (${i.reason})`, link: job(i.escrowId) };
    case 'refund':
      return { description: `Escrow refunded for job ${short(i.escrowId)}`, link: job(i.escrowId) };
    case 'close':
      return { description: `Escrow closed for job ${short(i.escrowId)}`, link: job(i.escrowId) };
    case 'register_node':
      return { description: `Staked ${formatCyx(i.stake)} for ${names.machine(i.nodeId)}`, link: machine(i.nodeId) };
    case 'record_result':
      return { description: `${i.success ? 'Job completed' : 'Job failed'} on ${names.machine(i.nodeId)}`, link: machine(i.nodeId) };
    case 'slash':
      return { description: `${names.machine(i.nodeId)} slashed (${i.reason.replace('_', ' ')})`, link: machine(i.nodeId) };
    case 'request_unstake':
      return { description: `Unstake requested for ${names.machine(i.nodeId)}`, link: machine(i.nodeId) };
    case 'withdraw_stake':
      return { description: `Stake withdrawn from ${names.machine(i.nodeId)}`, link: machine(i.nodeId) };
    case 'ban_node':
      return { description: `${names.machine(i.nodeId)} banned by an administrator: ${i.reason}`, link: machine(i.nodeId) };
    case 'unban_node':
      return { description: `${names.machine(i.nodeId)} unbanned by an administrator: ${i.reason}`, link: machine(i.nodeId) };
  }
}

export async function historyRows(db: Db, userId: string, entries: readonly HistoryEntry[]): Promise<HistoryRow[]> {
  const names = await namesFor(db, entries);
  return entries.map((e) => ({ seq: e.seq, kind: e.kind, at: new Date(e.at).toISOString(), change: e.change.toString(), ...describe(e.instruction, userId, names) }));
}
