import { Binary, type Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { applyInstruction, cyx, decodeInstruction, emptyLedger, encodeState, type Instruction } from '../../programs';
import { bootstrapDatabase } from '../db/bootstrap';
import { collections } from '../db/collections';
import { useTestDatabase } from '../testing/test-db';
import { LedgerExecutor, type SubmitResult } from './executor';
import { closeLedger, getLedger } from './get-ledger';
import { logDoc } from './log-store';
import { SNAPSHOTS_BUCKET, SNAPSHOTS_KEPT } from './snapshot-store';
import { submitterWorkload, workloadUser } from './testing/workload';

/** The log read straight from the collection and applied in order to an empty ledger, without the executor. */
async function replayByHand(db: Db): Promise<{ text: string; seqs: number[] }> {
  const docs = await collections(db).ledgerLog.find({}).toArray();
  docs.sort((a, b) => a._id - b._id);
  const state = emptyLedger();
  for (const doc of docs) expect(applyInstruction(state, decodeInstruction(doc.ins))).toMatchObject({ ok: true });
  return { text: encodeState(state), seqs: docs.map((d) => d._id) };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function runSubmitters(executors: LedgerExecutor[], prefix: string, submitters: number, steps: number, users: number): Promise<SubmitResult[]> {
  const perSubmitter = await Promise.all(
    range(submitters).map(async (s) => {
      const executor = executors[s % executors.length]!;
      const results: SubmitResult[] = [];
      for (const instruction of submitterWorkload({ prefix, submitter: s, steps, users })) results.push(await executor.submit(instruction));
      return results;
    }),
  );
  return perSubmitter.flat();
}

const mint = (key: string, to: string, whole: number, at = 1_800_000_000_000): Extract<Instruction, { kind: 'mint' }> => ({ kind: 'mint', key, at, by: 'admin', to, amount: cyx(whole), reason: 'test' });

describe('ledger executor', () => {
  it('50 concurrent submitters end in the state of a sequential replay of the log, and of a fresh executor', async () => {
    const { db } = await useTestDatabase('ledger-concurrent');
    const ledger = await LedgerExecutor.open(db, { snapshotEvery: 300 });
    const results = await runSubmitters([ledger], 'c', 50, 20, 30);

    const applied = results.filter((r) => r.seq !== null && !r.repeated);
    expect(results).toHaveLength(1000);
    // Some of the workload is refused on purpose, and refusals are not logged.
    expect(results.some((r) => !r.outcome.ok)).toBe(true);
    expect(applied.length).toBeGreaterThan(500);
    const byHand = await replayByHand(db);
    expect(applied.map((r) => r.seq).sort((a, b) => a! - b!)).toEqual(range(applied.length));
    expect(byHand.seqs).toEqual(range(applied.length));

    const live = await ledger.encodedState();
    expect(live.seq).toBe(applied.length);
    expect(live.text).toBe(byHand.text);
    await ledger.close();

    // Opened again: from the newest snapshot (taken every 300) plus the log after it.
    expect(await db.collection(`${SNAPSHOTS_BUCKET}.files`).countDocuments()).toBeGreaterThan(0);
    const reopened = await LedgerExecutor.open(db);
    expect(await reopened.encodedState()).toEqual(live);

    const report = await reopened.verify();
    expect(report).toMatchObject({ instructions: applied.length, matchesLive: true });
    expect(report.supply.minted).toBe(report.supply.held);
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    await reopened.close();
  });

  it('answers a repeated key with the first outcome and seq, and refuses the same key with other content', async () => {
    const { db } = await useTestDatabase('ledger-repeat');
    const ledger = await LedgerExecutor.open(db);
    const once = mint('m1', 'alice', 10);
    const [first, second] = await Promise.all([ledger.submit(once), ledger.submit({ ...once, at: once.at + 5 })]);
    expect(first).toMatchObject({ seq: 1, repeated: false, outcome: { ok: true } });
    expect(second).toEqual({ ...first, repeated: true });
    expect(await ledger.submit(once)).toEqual({ ...first, repeated: true });
    expect(await ledger.submit({ ...once, amount: cyx(11) })).toMatchObject({ seq: null, outcome: { ok: false, code: 'IDEMPOTENCY_CONFLICT' } });
    expect(await ledger.submit({ kind: 'transfer', key: 't1', at: 1, from: 'alice', to: 'bob', amount: cyx(11) })).toMatchObject({
      seq: null,
      outcome: { ok: false, code: 'INSUFFICIENT_FUNDS' },
    });
    // A malformed instruction in the same batch as a good one is refused alone.
    const [bad, good] = await Promise.all([ledger.submit({ ...once, key: 'm2', amount: 5 as unknown as bigint }), ledger.submit(mint('m3', 'bob', 1))]);
    expect(bad).toMatchObject({ seq: null, outcome: { ok: false, code: 'BAD_INSTRUCTION' } });
    expect(good).toMatchObject({ seq: 2, outcome: { ok: true } });
    expect(await collections(db).ledgerLog.countDocuments()).toBe(2);
    expect((await ledger.wallet('alice')).available).toBe(cyx(10));
    await ledger.close();
  });

  it('recovers a process killed between append and apply: everything once, and resubmitting changes nothing', async () => {
    const { db } = await useTestDatabase('ledger-crash');
    let crash = false;
    // A short lease: the killed process never gives its lease back, so the next one waits for it to expire.
    const dying = await LedgerExecutor.open(db, {
      leaseMs: 500,
      testHooks: {
        afterAppend: () => {
          if (crash) throw new Error('simulated crash after the append');
        },
      },
    });
    for (let i = 0; i < 10; i++) await dying.submit(mint(`before-${i}`, workloadUser(i % 3), 100));
    crash = true;
    const last = [mint('last-0', 'alice', 7), mint('last-1', 'bob', 8), { kind: 'transfer', key: 'last-2', at: 1, from: workloadUser(0), to: 'alice', amount: cyx(5) } as Instruction];
    const settled = await Promise.allSettled(last.map((i) => dying.submit(i)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    await expect(dying.submit(mint('after', 'alice', 1))).rejects.toMatchObject({ code: 'LEDGER_CLOSED' });

    const restarted = await LedgerExecutor.open(db);
    expect(restarted.seq).toBe(13);
    expect(await restarted.wallet('alice')).toMatchObject({ available: cyx(12) });
    expect(await restarted.wallet('bob')).toMatchObject({ available: cyx(8) });
    const before = await restarted.encodedState();
    expect(before.text).toBe((await replayByHand(db)).text);

    const again = await Promise.all(last.map((i) => restarted.submit({ ...i, at: i.at + 1000 })));
    expect(again.map((r) => [r.seq, r.repeated])).toEqual([
      [11, true],
      [12, true],
      [13, true],
    ]);
    expect(await restarted.encodedState()).toEqual(before);
    expect(await collections(db).ledgerLog.countDocuments()).toBe(13);
    await restarted.close();
  });

  it('catches up with entries appended behind its back, and retries an append that collides with one', async () => {
    const { db } = await useTestDatabase('ledger-behind');
    let intrude = false;
    const ledger = await LedgerExecutor.open(db, {
      testHooks: {
        // Another writer takes seq 2 after this executor judged its batch and before it appends it.
        beforeAppend: async () => {
          if (!intrude) return;
          intrude = false;
          await collections(db).ledgerLog.insertOne(logDoc(2, mint('other-2', 'bob', 20), ['bob']));
        },
      },
    });
    expect(await ledger.submit(mint('own-1', 'alice', 50))).toMatchObject({ seq: 1 });
    intrude = true;
    const transfer = await ledger.submit({ kind: 'transfer', key: 'own-3', at: 2, from: 'alice', to: 'bob', amount: cyx(5) });
    expect(intrude).toBe(false);
    expect(transfer).toMatchObject({ seq: 3, repeated: false, outcome: { ok: true } });
    expect(await ledger.wallet('bob')).toMatchObject({ available: cyx(25) });
    expect(await ledger.wallet('alice')).toMatchObject({ available: cyx(45) });
    await ledger.close();

    // Idle and without the lease, a read looks for what was appended since.
    const reader = await LedgerExecutor.open(db);
    await collections(db).ledgerLog.insertOne(logDoc(4, mint('other-4', 'carol', 9), ['carol']));
    expect(await reader.wallet('carol')).toMatchObject({ available: cyx(9) });
    expect(reader.seq).toBe(4);
    expect((await reader.encodedState()).text).toBe((await replayByHand(db)).text);
    await reader.close();
  });

  it('refuses what did not reach the log when an append fails part-way, answers what did, and never shows the unappended batch', async () => {
    const { db } = await useTestDatabase('ledger-append-fails');
    let failNext = false;
    let readDuringAppend: Promise<unknown> | null = null;
    const ledger = await LedgerExecutor.open(db, {
      testHooks: {
        // The first entry of the batch lands, then the database goes away.
        beforeAppend: async (docs) => {
          if (!failNext) return;
          failNext = false;
          readDuringAppend = ledger.wallet('alice');
          await collections(db).ledgerLog.insertOne(docs[0]!);
          throw new Error('connection reset by the database');
        },
      },
    });
    await ledger.submit(mint('a-0', 'alice', 10));
    failNext = true;
    const [landed, lost] = await Promise.allSettled([ledger.submit(mint('a-1', 'alice', 1)), ledger.submit(mint('a-2', 'alice', 100))]);
    expect(landed).toMatchObject({ status: 'fulfilled', value: { seq: 2, outcome: { ok: true } } });
    expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'LEDGER_UNAVAILABLE' } });
    // The read made while the batch was applied in memory waited for it, and saw only what landed.
    expect(await readDuringAppend).toMatchObject({ available: cyx(11) });
    expect(await ledger.wallet('alice')).toMatchObject({ available: cyx(11) });
    expect((await ledger.encodedState()).text).toBe((await replayByHand(db)).text);
    // Submitted again with the same key, the lost one is applied once; the landed one is a repeat.
    expect(await ledger.submit(mint('a-2', 'alice', 100))).toMatchObject({ seq: 3, repeated: false });
    expect(await ledger.submit(mint('a-1', 'alice', 1))).toMatchObject({ seq: 2, repeated: true });
    expect(await ledger.wallet('alice')).toMatchObject({ available: cyx(111) });
    await ledger.close();
  });

  it('two executors on one database (two holders) both submit, and agree, with nothing lost or doubled', async () => {
    const { db } = await useTestDatabase('ledger-two');
    const a = await LedgerExecutor.open(db, { holder: 'process-a' });
    const b = await LedgerExecutor.open(db, { holder: 'process-b' });
    const results = await runSubmitters([a, b], 'two', 30, 12, 20);
    const applied = results.filter((r) => r.seq !== null && !r.repeated);
    expect(applied.map((r) => r.seq).sort((x, y) => x! - y!)).toEqual(range(applied.length));
    const byHand = await replayByHand(db);
    expect(byHand.seqs).toEqual(range(applied.length));
    expect(await a.encodedState()).toEqual({ seq: applied.length, text: byHand.text });
    expect(await b.encodedState()).toEqual({ seq: applied.length, text: byHand.text });
    // Every submission of one executor is seen by the other's reads.
    const someone = workloadUser(3);
    expect(await a.wallet(someone)).toEqual(await b.wallet(someone));
    await Promise.all([a.close(), b.close()]);
  });

  it('hands the lease to a waiting executor between batches instead of keeping it while busy', async () => {
    const { db } = await useTestDatabase('ledger-handover');
    const busy = await LedgerExecutor.open(db, { holder: 'busy' });
    const waiting = await LedgerExecutor.open(db, { holder: 'waiting' });
    await busy.submit(mint('first', 'alice', 1));
    const load = runSubmitters([busy], 'load', 20, 250, 50);
    const theirs = await waiting.submit(mint('theirs', 'bob', 1));
    const mine = await load;
    // Its one instruction got in while the other still had thousands queued, not after them all.
    expect(theirs.seq).toBeLessThan(Math.max(...mine.map((r) => r.seq ?? 0)));
    await Promise.all([busy.close(), waiting.close()]);
  });

  it('getLedger keeps one executor per database, and opens a new one once that is closed', async () => {
    const { db } = await useTestDatabase('ledger-get');
    const [one, same] = await Promise.all([getLedger(db), getLedger(db)]);
    expect(same).toBe(one);
    await one.submit(mint('g-1', 'alice', 3));
    await one.close();
    const next = await getLedger(db);
    expect(next).not.toBe(one);
    expect(await next.wallet('alice')).toMatchObject({ available: cyx(3) });
    await closeLedger(db);
    expect(next.isClosed).toBe(true);
  });

  it('refuses to start on a snapshot that does not match its hash', async () => {
    const { db, uri } = await useTestDatabase('ledger-snapshot');
    const ledger = await LedgerExecutor.open(db, { snapshotEvery: 5 });
    for (let i = 0; i < 17; i++) await ledger.submit(mint(`s-${i}`, workloadUser(i % 4), 10 + i));
    const live = await ledger.encodedState();
    await ledger.close();

    const files = db.collection<{ _id: unknown; metadata: { seq: number; hash: string } }>(`${SNAPSHOTS_BUCKET}.files`);
    const newest = (await files.find({}).toArray()).sort((x, y) => y.metadata.seq - x.metadata.seq)[0]!;
    expect(newest.metadata.seq).toBeGreaterThanOrEqual(5);
    expect(await files.countDocuments()).toBeLessThanOrEqual(SNAPSHOTS_KEPT);
    expect(await (await LedgerExecutor.open(db)).encodedState()).toEqual(live);

    // One byte of the stored text changed.
    const chunks = db.collection<{ files_id: unknown; n: number; data: Binary }>(`${SNAPSHOTS_BUCKET}.chunks`);
    const chunk = (await chunks.findOne({ files_id: newest._id, n: 0 }))!;
    const bytes = Buffer.from(chunk.data.buffer);
    bytes[10] = bytes[10]! ^ 1;
    await chunks.updateOne({ files_id: newest._id, n: 0 }, { $set: { data: new Binary(bytes) } });
    await expect(LedgerExecutor.open(db)).rejects.toMatchObject({ code: 'LEDGER_SNAPSHOT_CORRUPT', seq: newest.metadata.seq });
    // The app's start opens the ledger, so it stops there.
    await expect(bootstrapDatabase({ root: '.', dataDir: 'unused-with-a-uri', uri })).rejects.toMatchObject({ code: 'LEDGER_SNAPSHOT_CORRUPT' });

    // The bytes put back but the recorded hash changed.
    bytes[10] = bytes[10]! ^ 1;
    await chunks.updateOne({ files_id: newest._id, n: 0 }, { $set: { data: new Binary(bytes) } });
    await files.updateOne({ _id: newest._id }, { $set: { 'metadata.hash': '0'.repeat(64) } });
    const refused = LedgerExecutor.open(db);
    await expect(refused).rejects.toMatchObject({ code: 'LEDGER_SNAPSHOT_CORRUPT' });
    await expect(refused).rejects.toThrow(new RegExp(`snapshot at seq ${newest.metadata.seq} .* does not match its hash`));
  });

  it('pages a person\'s history by seq, newest first, and filters it by kind', async () => {
    const { db } = await useTestDatabase('ledger-history');
    const ledger = await LedgerExecutor.open(db);
    await ledger.submit(mint('h-0', 'alice', 100));
    for (let i = 1; i <= 7; i++) {
      await ledger.submit({ kind: 'transfer', key: `h-${i}`, at: 1_800_000_000_000 + i, from: 'alice', to: i % 2 ? 'bob' : 'carol', amount: cyx(i) });
      if (i === 4) await ledger.submit(mint('h-other', 'dave', 5));
    }
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await ledger.history('alice', { limit: 3, ...(before === undefined ? {} : { before }) });
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.seq));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    // Alice's 8 entries (seq 6 is dave's mint), newest first, each once.
    expect(seen).toEqual([9, 8, 7, 5, 4, 3, 2, 1]);

    const transfers = await ledger.history('alice', { kind: 'transfer', limit: 100 });
    expect(transfers.entries.map((e) => e.kind)).toEqual(Array(7).fill('transfer'));
    expect(transfers.nextBefore).toBeNull();
    const newest = transfers.entries[0]!;
    expect(newest).toMatchObject({ seq: 9, key: 'h-7', change: -cyx(7), instruction: { kind: 'transfer', to: 'bob' } });
    expect((await ledger.history('bob', { limit: 10 })).entries.map((e) => [e.seq, e.change])).toEqual([
      [9, cyx(7)],
      [7, cyx(5)],
      [4, cyx(3)],
      [2, cyx(1)],
    ]);
    expect((await ledger.history('alice', { kind: 'mint', limit: 10 })).entries.map((e) => e.key)).toEqual(['h-0']);
    await expect(ledger.history('alice', { limit: 0 })).rejects.toMatchObject({ code: 'LEDGER_HISTORY_LIMIT' });
    await expect(ledger.history('alice', { limit: 5, before: -1 })).rejects.toMatchObject({ code: 'LEDGER_HISTORY_CURSOR' });
    await ledger.close();
  });
});
