// Prints how fast the programs are at the size the executor works at; run by hand:
//   node --import tsx programs/testing/measure-ledger.ts
// A figure-printing check only: nothing here asserts a time.
import { applyInstruction } from '../apply';
import { type Instruction } from '../instructions';
import { cloneLedger, decodeState, encodeState } from '../snapshot';
import { emptyLedger } from '../state';
import { cyx } from '../units';

const COUNT = 100_000;
const users = Array.from({ length: 1000 }, (_, n) => `65f0c0ffee${String(n).padStart(14, '0')}`);

function workload(): Instruction[] {
  const out: Instruction[] = users.map((to, n) => ({ kind: 'mint', key: `seed-${n}`, at: 0, by: 'admin', to, amount: cyx(1_000_000), reason: 'seed' }));
  for (let n = 0; out.length < COUNT; n++) {
    const payer = users[n % users.length]!;
    const provider = users[(n * 7 + 3) % users.length]!;
    const at = 1_700_000_000_000 + n;
    if (n % 4 === 0) out.push({ kind: 'transfer', key: `t-${n}`, at, from: payer, to: provider, amount: 1_234_567n });
    else if (n % 4 === 1) out.push({ kind: 'create_escrow', key: `c-${n}`, at, escrowId: `job-${n}`, payer, amount: cyx(10) });
    else if (n % 4 === 2) out.push({ kind: 'release', key: `r-${n}`, at, escrowId: `job-${n - 1}`, provider, amount: cyx(4) + 7n, reason: 'checkpoint' });
    else out.push({ kind: 'refund', key: `f-${n}`, at, escrowId: `job-${n - 2}` });
  }
  return out;
}

const instructions = workload();
const state = emptyLedger();
let start = performance.now();
let failed = 0;
for (const instruction of instructions) if (!applyInstruction(state, instruction).ok) failed++;
const applyMs = performance.now() - start;

start = performance.now();
const text = encodeState(state);
const encodeMs = performance.now() - start;
start = performance.now();
encodeState(state);
const reencodeMs = performance.now() - start;
start = performance.now();
const decoded = decodeState(text);
const decodeMs = performance.now() - start;
start = performance.now();
cloneLedger(decoded);
const cloneMs = performance.now() - start;
start = performance.now();
const fresh = encodeState(decoded);
const encodeDecodedMs = performance.now() - start;

console.log(
  JSON.stringify({
    instructions: instructions.length,
    failed,
    applyMicrosPerInstruction: +((applyMs * 1000) / instructions.length).toFixed(2),
    encodeStateMs: Math.round(encodeMs),
    reencodeStateMs: Math.round(reencodeMs),
    encodeDecodedStateMs: Math.round(encodeDecodedMs),
    decodeStateMs: Math.round(decodeMs),
    cloneMs: Math.round(cloneMs),
    snapshotMiB: +(text.length / 2 ** 20).toFixed(1),
    identical: fresh === text,
  }),
);
