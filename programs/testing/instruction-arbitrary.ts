import fc from 'fast-check';
import { type Instruction } from '../instructions';
import { MAX_AMOUNT, MIN_STAKE, UNSTAKE_LOCKUP_MS } from '../rules';
import { cyx } from '../units';

// Random instruction sequences for the property tests: a few users, escrows and nodes so instructions
// collide; amounts around the edges that matter (1 µCYX, fee rounding, MIN_STAKE, overflow); a small
// key pool so keys repeat, sometimes with the same content (replays) and sometimes not (conflicts).

const users = ['u1', 'u2', 'u3', 'u4'];
const escrows = ['e1', 'e2', 'e3'];
const nodes = ['n1', 'n2'];
const DAY = 24 * 60 * 60 * 1000;

const user = fc.constantFrom(...users);
const escrowId = fc.constantFrom(...escrows);
const nodeId = fc.constantFrom(...nodes);
const key = fc.integer({ min: 0, max: 150 }).map((n) => `k${n}`);
const at = fc.oneof(
  fc.integer({ min: 0, max: 30 * DAY }),
  fc.constantFrom(0, UNSTAKE_LOCKUP_MS - 1, UNSTAKE_LOCKUP_MS, UNSTAKE_LOCKUP_MS + 1, 2 * UNSTAKE_LOCKUP_MS),
);

/** Mostly valid positive amounts, some at the edges, a few invalid (0, negative, past 2^63 - 1). */
const amount = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: 30n }) },
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: cyx(60) }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n, MAX_AMOUNT, MAX_AMOUNT + 1n) },
);
const stake = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(MIN_STAKE - 1n, MIN_STAKE, MIN_STAKE + 1n, cyx(150)) },
  { weight: 3, arbitrary: fc.bigInt({ min: MIN_STAKE, max: cyx(250) }) },
  { weight: 1, arbitrary: amount },
);
const mintAmount = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: cyx(300) }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, MAX_AMOUNT, MAX_AMOUNT + 1n) },
);
const duration = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3_600_000 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0.5) });

const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('mint' as const), key, at, by: fc.constant('admin'), to: user, amount: mintAmount, reason: fc.constantFrom('seed', 'faucet', 'grant', '') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), key, at, from: user, to: user, amount, memo: fc.option(fc.constantFrom('rent', 'é😀'), { nil: undefined }) }, { requiredKeys: ['kind', 'key', 'at', 'from', 'to', 'amount'] }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create_escrow' as const), key, at, escrowId, payer: user, amount }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('release' as const), key, at, escrowId, provider: user, amount, reason: fc.constantFrom('checkpoint' as const, 'completion' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), key, at, escrowId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), key, at, escrowId }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('register_node' as const), key, at, nodeId, owner: user, stake }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('record_result' as const), key, at, nodeId, success: fc.constantFrom(true, false, false), durationMs: duration }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('slash' as const), key, at, nodeId, reason: fc.constantFrom('timeout' as const, 'invalid_result' as const, 'repeated_failures' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('request_unstake' as const), key, at, nodeId }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('withdraw_stake' as const), key, at, nodeId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ban_node' as const), key, at, nodeId, by: fc.constant('admin'), reason: fc.constantFrom('fraud', 'é😀', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unban_node' as const), key, at, nodeId, by: fc.constant('admin'), reason: fc.constantFrom('appeal', '') }) },
);

/**
 * Opening mints so most sequences have money to move, and usually a registered node so the registry's
 * rules get exercised; they are ordinary instructions, replayed like any other.
 */
const preamble: fc.Arbitrary<Instruction[]> = fc.subarray(users, { minLength: 2 }).chain((funded) =>
  fc
    .tuple(
      fc.tuple(...funded.map((to) => fc.bigInt({ min: cyx(160), max: cyx(400) }).map((amount): Instruction => ({ kind: 'mint', key: `seed-${to}`, at: 0, by: 'admin', to, amount, reason: 'seed' })))),
      fc.option(fc.bigInt({ min: MIN_STAKE, max: cyx(150) }), { freq: 4 }),
    )
    .map(([mints, stake]): Instruction[] =>
      stake === null ? mints : [...mints, { kind: 'register_node', key: 'seed-node', at: 0, nodeId: nodes[0]!, owner: funded[0]!, stake }],
    ),
);

type Step = { fresh: Instruction } | { repeat: number };

/** The preamble, then a sequence where about one step in eight repeats an earlier instruction exactly (a retry). */
export function instructionSequence(maxLength: number): fc.Arbitrary<Instruction[]> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 7, arbitrary: instruction.map((fresh) => ({ fresh })) },
    { weight: 1, arbitrary: fc.nat().map((repeat) => ({ repeat })) },
  );
  return fc.tuple(preamble, fc.array(step, { maxLength, size: 'max' })).map(([seeds, steps]) => {
    const out: Instruction[] = [...seeds];
    for (const s of steps) {
      if ('fresh' in s) out.push(s.fresh);
      else if (out.length > 0) out.push(out[s.repeat % out.length]!);
    }
    return out;
  });
}

export const participants = { users, escrows, nodes };
