import { userAccount } from './accounts';
import { type Instruction } from './instructions';
import { settle, shortfallMessage } from './moves';
import { type Failure, type Outcome, fail } from './outcome';
import { ADMIN_BAN_PERCENT, MIN_STAKE, REPEATED_FAILURES, SLASH_PERCENT, UNSTAKE_LOCKUP_MS } from './rules';
import { type LedgerState, type NodeRecord } from './state';
import { durationText, timeText } from './time-text';
import { formatCyx } from './units';

// The node-registry program: a provider's machine puts up a stake (held in system:stake-vault), builds
// a track record, loses part or all of the stake for misbehaviour, and gets it back only after a lockup
// during which it can still be slashed.

type Of<K extends Instruction['kind']> = Extract<Instruction, { kind: K }>;

/** The node, if it exists and is neither banned nor withdrawn. */
function workingNode(state: LedgerState, nodeId: string, action: string): NodeRecord | Failure {
  const node = state.nodes.get(nodeId);
  if (!node) return fail('NODE_NOT_FOUND', `There is no registered node ${nodeId} to ${action}`);
  if (node.status === 'banned') return fail('NODE_BANNED', `Node ${nodeId} is banned for repeated failures; it cannot ${action === 'slash' ? 'be slashed again' : action}`);
  if (node.status === 'withdrawn') return fail('NODE_WITHDRAWN', `Node ${nodeId} has withdrawn its stake; register it again before it can ${action}`);
  return node;
}

export function registerNode(state: LedgerState, i: Of<'register_node'>): Outcome {
  const existing = state.nodes.get(i.nodeId);
  // A withdrawn node may come back under the same owner, keeping its track record.
  if (existing && !(existing.status === 'withdrawn' && existing.owner === i.owner)) {
    return fail('NODE_EXISTS', `Node ${i.nodeId} is already registered${existing.owner === i.owner ? '' : ' to another owner'}`);
  }
  if (i.stake < MIN_STAKE) {
    return fail('STAKE_TOO_LOW', `A node needs a stake of at least ${formatCyx(MIN_STAKE)}; ${formatCyx(i.stake)} was offered`);
  }
  const owner = userAccount(i.owner);
  const balance = state.balances.get(owner) ?? 0n;
  if (balance < i.stake) return fail('INSUFFICIENT_FUNDS', shortfallMessage(balance, i.stake, 'this stake'));
  if (existing) {
    existing.stake = i.stake;
    existing.status = 'active';
    existing.registeredAt = i.at;
  } else {
    state.nodes.set(i.nodeId, {
      nodeId: i.nodeId,
      owner: i.owner,
      stake: i.stake,
      status: 'active',
      registeredAt: i.at,
      jobs: 0,
      successes: 0,
      consecutiveFailures: 0,
      totalDurationMs: 0,
      slashed: 0n,
      unstakeRequestedAt: null,
      unstakeAvailableAt: null,
    });
    indexNode(state, i.owner, i.nodeId);
  }
  return settle(state, { type: 'node_registered', nodeId: i.nodeId, owner: i.owner, amount: i.stake });
}

export function recordResult(state: LedgerState, i: Of<'record_result'>): Outcome {
  const node = workingNode(state, i.nodeId, 'record results');
  if ('ok' in node) return node;
  if (node.totalDurationMs + i.durationMs > Number.MAX_SAFE_INTEGER) {
    return fail('BAD_INSTRUCTION', `Node ${i.nodeId}'s total job time would pass the largest whole number of milliseconds the ledger can hold`);
  }
  node.jobs += 1;
  node.totalDurationMs += i.durationMs;
  if (i.success) {
    node.successes += 1;
    node.consecutiveFailures = 0;
  } else {
    node.consecutiveFailures += 1;
  }
  return settle(state, { type: 'result_recorded', nodeId: i.nodeId, owner: node.owner, success: i.success, durationMs: i.durationMs });
}

export function slash(state: LedgerState, i: Of<'slash'>): Outcome {
  const node = workingNode(state, i.nodeId, 'slash');
  if ('ok' in node) return node;
  const banning = i.reason === 'repeated_failures';
  if (banning && node.consecutiveFailures < REPEATED_FAILURES) {
    return fail(
      'FAILURES_BELOW_THRESHOLD',
      `Node ${i.nodeId} has ${node.consecutiveFailures} failed results in a row; a ban for repeated failures needs ${REPEATED_FAILURES}`,
    );
  }
  const percent = SLASH_PERCENT[i.reason];
  const amount = (node.stake * BigInt(percent)) / 100n;
  if (amount === 0n && !banning) {
    return fail('NOTHING_TO_SLASH', `Node ${i.nodeId}'s stake of ${formatCyx(node.stake)} is too small to take ${percent}% of`);
  }
  node.stake -= amount;
  node.slashed += amount;
  if (banning) {
    node.status = 'banned';
    node.unstakeRequestedAt = null;
    node.unstakeAvailableAt = null;
  }
  return settle(state, { type: 'node_slashed', nodeId: i.nodeId, owner: node.owner, reason: i.reason, percent, amount, banned: banning });
}

export function requestUnstake(state: LedgerState, i: Of<'request_unstake'>): Outcome {
  const node = workingNode(state, i.nodeId, 'unstake');
  if ('ok' in node) return node;
  if (node.status === 'unstaking') {
    return fail('UNSTAKE_PENDING', `Node ${i.nodeId} already asked to unstake; its stake frees up at ${timeText(node.unstakeAvailableAt ?? 0)}`);
  }
  const availableAt = i.at + UNSTAKE_LOCKUP_MS;
  if (availableAt > Number.MAX_SAFE_INTEGER) return fail('BAD_INSTRUCTION', `The time of this unstake request is too far in the future to add a lockup to`);
  node.status = 'unstaking';
  node.unstakeRequestedAt = i.at;
  node.unstakeAvailableAt = availableAt;
  return settle(state, { type: 'unstake_requested', nodeId: i.nodeId, owner: node.owner, amount: node.stake, availableAt });
}

export function withdrawStake(state: LedgerState, i: Of<'withdraw_stake'>): Outcome {
  const node = workingNode(state, i.nodeId, 'withdraw its stake');
  if ('ok' in node) return node;
  if (node.status !== 'unstaking' || node.unstakeAvailableAt === null) {
    return fail('NO_UNSTAKE_REQUESTED', `Node ${i.nodeId} has not asked to unstake; request it first (the stake frees up ${durationText(UNSTAKE_LOCKUP_MS)} later)`);
  }
  if (i.at < node.unstakeAvailableAt) {
    return fail(
      'LOCKUP_NOT_OVER',
      `Node ${i.nodeId}'s stake is locked until ${timeText(node.unstakeAvailableAt)}, ${durationText(node.unstakeAvailableAt - i.at)} from now`,
    );
  }
  const amount = node.stake;
  node.stake = 0n;
  node.status = 'withdrawn';
  node.unstakeRequestedAt = null;
  node.unstakeAvailableAt = null;
  return settle(state, { type: 'stake_withdrawn', nodeId: i.nodeId, owner: node.owner, amount });
}

/**
 * An administrator bans a node by hand (misbehaviour the result counts do not show): ADMIN_BAN_PERCENT
 * of its stake goes to penalties, as a node_slashed event with reason 'admin_ban' (so every view of
 * slashes counts it), and it works no more. Allowed during the unstake lockup and after a withdrawal
 * (nothing left to take, but a withdrawn node could otherwise register again).
 */
export function banNode(state: LedgerState, i: Of<'ban_node'>): Outcome {
  const node = state.nodes.get(i.nodeId);
  if (!node) return fail('NODE_NOT_FOUND', `There is no registered node ${i.nodeId} to ban`);
  if (node.status === 'banned') return fail('NODE_BANNED', `Node ${i.nodeId} is already banned`);
  const amount = (node.stake * BigInt(ADMIN_BAN_PERCENT)) / 100n;
  node.stake -= amount;
  node.slashed += amount;
  node.status = 'banned';
  node.unstakeRequestedAt = null;
  node.unstakeAvailableAt = null;
  return settle(state, { type: 'node_slashed', nodeId: i.nodeId, owner: node.owner, by: i.by, reason: 'admin_ban', memo: i.reason, percent: ADMIN_BAN_PERCENT, amount, banned: true });
}

/**
 * Lifts a ban. What was slashed stays slashed: the node comes back withdrawn, with its track record
 * (failures in a row forgiven), and its owner stakes again to register it before it takes work.
 */
export function unbanNode(state: LedgerState, i: Of<'unban_node'>): Outcome {
  const node = state.nodes.get(i.nodeId);
  if (!node) return fail('NODE_NOT_FOUND', `There is no registered node ${i.nodeId} to unban`);
  if (node.status !== 'banned') return fail('NODE_NOT_BANNED', `Node ${i.nodeId} is not banned (it is ${node.status})`);
  // A ban for repeated failures takes everything, an admin ban ADMIN_BAN_PERCENT: whatever is left goes back with the withdrawal.
  const amount = node.stake;
  node.stake = 0n;
  node.status = 'withdrawn';
  node.consecutiveFailures = 0;
  return settle(state, { type: 'node_unbanned', nodeId: i.nodeId, owner: node.owner, by: i.by, memo: i.reason, amount });
}

/** Nodes by owner, so a wallet's "staked" figure never scans every node. */
export function indexNode(state: LedgerState, owner: string, nodeId: string): void {
  let ids = state.nodesByOwner.get(owner);
  if (!ids) state.nodesByOwner.set(owner, (ids = new Set()));
  ids.add(nodeId);
}
