import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { useTestDatabase } from '../testing/test-db';
import { jobCheckpointsCollection, jobsCollection } from './collections';
import { runJobEffects } from './effects';
import { carriedEvent } from './job-events-log';
import { CpuRunner, IRIS_INPUT, RunnerWorld } from './testing/runner-world';

/**
 * A crash between a checkpoint's ledger release and the job's paidMicro write: the ledger holds the
 * money, the job's copy says nothing was paid. Shares are worked out from the ledger, so a re-run
 * pays nothing again and a later checkpoint pays exactly its own share, never the earlier one's too.
 */
let db: Db;
let world: RunnerWorld;
// Iris, 3 epochs of floor(120 / 16) = 7 steps: checkpoints at steps 7, 14 and 21.
const INPUT = { ...IRIS_INPUT, config: { ...IRIS_INPUT.config, epochs: 3 } };
const TOTAL = 21n;

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_checkpoint_share'));
  world = await new RunnerWorld(db).start(mlpClassifier(4, [8], 3));
});

afterAll(async () => {
  await world?.stop();
});

const jobOf = async (jobId: string) => (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
/** What a process that died right after the ledger's release leaves: the money moved, the job's and the checkpoint's copies did not. */
async function crashAfterRelease(jobId: string): Promise<void> {
  await jobsCollection(db).updateOne({ _id: new ObjectId(jobId) }, { $set: { paidMicro: '0' } });
  await jobCheckpointsCollection(db).updateMany({ jobId: new ObjectId(jobId) }, { $set: { releasedMicro: '0' } });
}

describe('checkpoint shares after a crash', () => {
  it('a re-run pays nothing twice, later checkpoints pay exactly their share, the total never exceeds the escrow', async () => {
    const { jobId, epoch } = await world.leasedJob('a', INPUT);
    const spec = await world.started('a', jobId, epoch);
    expect(spec.totalSteps).toBe(Number(TOTAL));
    const runner = new CpuRunner(spec, builtinCsv(findBuiltin('builtin:iris') as never));
    const escrow = BigInt((await jobOf(jobId)).escrowMicro);
    const due = (step: bigint) => (escrow * step) / TOTAL;
    const bobStart = await world.available(world.bob);

    const first = runner.epoch(0);
    expect((await world.put('a', jobId, epoch, first)).body).toMatchObject({ verified: true, step: 7, releasedMicro: due(7n).toString() });
    await crashAfterRelease(jobId);
    expect(BigInt((await world.escrowOf(jobId)).released)).toBe(due(7n));

    // The verified transition's effects run again (as its process would on a retry): the ledger
    // answers the landed key, nothing moves, and the copies are written.
    const seq = (await world.ledger()).seq;
    const verifiedTransition = carriedEvent(await jobOf(jobId))!;
    expect(verifiedTransition.event.type).toBe('checkpoint_verified');
    const rerun = await runJobEffects(db, new ObjectId(jobId), verifiedTransition, new Date());
    expect(rerun.steps).toEqual([{ key: `job:${jobId}:checkpoint:7:release`, result: 'repeated', detail: expect.any(String) }]);
    expect((await world.ledger()).seq).toBe(seq);
    expect((await jobOf(jobId)).paidMicro).toBe(due(7n).toString());
    expect((await jobCheckpointsCollection(db).findOne({ jobId: new ObjectId(jobId), step: 7 }))!.releasedMicro).toBe(due(7n).toString());

    // Crash again; the next checkpoint pays its own share only, not step 7's again.
    await crashAfterRelease(jobId);
    const second = runner.epoch(1);
    expect((await world.put('a', jobId, epoch, second)).body).toMatchObject({ verified: true, step: 14, releasedMicro: (due(14n) - due(7n)).toString() });
    expect(BigInt((await world.escrowOf(jobId)).released)).toBe(due(14n));
    expect((await jobOf(jobId)).paidMicro).toBe(due(14n).toString());

    // Crash before the last checkpoint and completion: the rest is what the ledger says is left.
    await crashAfterRelease(jobId);
    const third = runner.epoch(2);
    expect((await world.put('a', jobId, epoch, third)).body).toMatchObject({ verified: true, step: 21, releasedMicro: (escrow - due(14n)).toString() });
    await crashAfterRelease(jobId);
    await (await world.asMachine('a')).runner.jobComplete({ jobId, epoch, sha256: third.sha256 });
    expect(await jobOf(jobId)).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), refundedMicro: '0' });
    expect(await world.escrowOf(jobId)).toMatchObject({ status: 'closed', released: escrow.toString(), refunded: '0' });
    // Bob got 90% of each release (the fee is floor(release / 10) per release).
    const releases = [due(7n), due(14n) - due(7n), escrow - due(14n)];
    expect((await world.available(world.bob)) - bobStart).toBe(releases.reduce((sum, r) => sum + r - r / 10n, 0n));
  });
});
