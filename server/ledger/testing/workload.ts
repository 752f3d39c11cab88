import { cyx, type Instruction } from '../../../programs';

/** A small seeded generator (mulberry32): the same seed gives the same workload on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const workloadUser = (i: number) => `user${String(i).padStart(4, '0')}`;

/**
 * One submitter's instructions, for tests and the benchmark: a mint to its own user, then
 * transfers to others, escrows it opens, releases part-way to providers, refunds and closes, and
 * a node it stakes. Some are refused on purpose (a transfer past the balance, a close of an escrow
 * not settled), as real traffic would be. Keys are unique per (prefix, submitter, step).
 */
export function submitterWorkload(opts: { prefix: string; submitter: number; steps: number; users: number; seed?: number; at?: number }): Instruction[] {
  const next = random((opts.seed ?? 1) * 1_000_003 + opts.submitter);
  const pick = (n: number) => Math.floor(next() * n);
  const me = workloadUser(opts.submitter % opts.users);
  const other = () => workloadUser(pick(opts.users));
  const base = opts.at ?? 1_800_000_000_000;
  const open: string[] = [];
  const settled: string[] = [];
  const nodes: string[] = [];
  const out: Instruction[] = [];
  for (let step = 0; step < opts.steps; step++) {
    const key = `${opts.prefix}:${opts.submitter}:${step}`;
    const at = base + opts.submitter * 1_000_000 + step;
    const roll = step === 0 ? -1 : pick(100);
    if (roll < 0 || roll < 8) {
      out.push({ kind: 'mint', key, at, by: 'admin', to: me, amount: cyx(200 + pick(800)), reason: 'workload' });
    } else if (roll < 45) {
      const to = other();
      out.push({ kind: 'transfer', key, at, from: me, to: to === me ? workloadUser((opts.submitter + 1) % opts.users) : to, amount: cyx(1 + pick(60)) });
    } else if (roll < 60) {
      const escrowId = `${opts.prefix}-job-${opts.submitter}-${step}`;
      open.push(escrowId);
      out.push({ kind: 'create_escrow', key, at, escrowId, payer: me, amount: cyx(5 + pick(50)) });
    } else if (roll < 75 && open.length > 0) {
      out.push({ kind: 'release', key, at, escrowId: open[pick(open.length)]!, provider: other(), amount: cyx(1 + pick(10)), reason: 'checkpoint' });
    } else if (roll < 83 && open.length > 0) {
      const escrowId = open.splice(pick(open.length), 1)[0]!;
      settled.push(escrowId);
      out.push({ kind: 'refund', key, at, escrowId });
    } else if (roll < 88 && settled.length > 0) {
      out.push({ kind: 'close', key, at, escrowId: settled.splice(pick(settled.length), 1)[0]! });
    } else if (roll < 92) {
      const nodeId = `${opts.prefix}-node-${opts.submitter}-${step}`;
      nodes.push(nodeId);
      out.push({ kind: 'register_node', key, at, nodeId, owner: me, stake: cyx(100 + pick(50)) });
    } else if (roll < 97 && nodes.length > 0) {
      out.push({ kind: 'record_result', key, at, nodeId: nodes[pick(nodes.length)]!, success: next() < 0.8, durationMs: 100 + pick(5000) });
    } else if (nodes.length > 0) {
      out.push({ kind: 'request_unstake', key, at, nodeId: nodes.splice(pick(nodes.length), 1)[0]! });
    } else {
      out.push({ kind: 'transfer', key, at, from: me, to: other(), amount: cyx(1_000_000) });
    }
  }
  return out;
}
