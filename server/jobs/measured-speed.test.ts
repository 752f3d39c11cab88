import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { modelFacts } from '../../compute/model-facts';
import { cyx } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { machinesCollection } from '../machines/collections';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { acceptCheckpoint } from './checkpoint-upload';
import { jobsCollection } from './collections';
import { explainCandidates } from './explain-candidates';
import { intervalSpeed, MAX_FLOPS_PER_SECOND, median, MIN_INTERVAL_FLOPS, MIN_INTERVAL_MS, unitSpeedKey, unitSpeedsCollection } from './measured-speed';
import { loadSchedulableUnits } from './schedulable-units';
import { CpuRunner, IRIS_INPUT, RunnerWorld, type Checkpoint } from './testing/runner-world';
import { RUN_START_US } from './run-overhead';
import { describeSpeed, DEVICE_CLASS_FLOPS_PER_SECOND, formatFlopsPerSecond } from './unit-speed';

let db: Db;
let world: RunnerWorld;
let admin: PublicUser;
const GRAPH = mlpClassifier(4, [8], 3);
// Iris: 120 training rows, batch 16 → 7 full batches (112 samples) an epoch, 14 steps in all.
const SAMPLES_PER_EPOCH = 7 * 16;
const FLOPS_PER_SAMPLE = (() => {
  const facts = modelFacts(GRAPH);
  if (!facts.ok) throw new Error('graph');
  return facts.totals.trainingFlops;
})();
const IRIS_CSV = () => builtinCsv(findBuiltin('builtin:iris') as never);

// The iris MLP trains a few hundred kFLOPs an epoch, under the default floor of work an interval
// must hold to count (MIN_INTERVAL_FLOPS): this file measures it anyway, with the floor at 1 FLOP.
const savedFloor = process.env.CYXWIZ_SPEED_MIN_FLOPS;

beforeAll(async () => {
  process.env.CYXWIZ_SPEED_MIN_FLOPS = '1';
  ({ db } = await useTestDatabase('jobs_measured_speed'));
  world = await new RunnerWorld(db).start(GRAPH);
  admin = await signUp(db, { email: 'speed-admin@example.com', username: 'speedadmin', password: 'admin-password-1' }, 'admin');
});

afterAll(async () => {
  if (savedFloor === undefined) delete process.env.CYXWIZ_SPEED_MIN_FLOPS;
  else process.env.CYXWIZ_SPEED_MIN_FLOPS = savedFloor;
  await world?.stop();
});

/** A job leased to machine a and started at `startAt` (the server's clock for jobStart), with its CPU trainer. */
async function startedAt(startAt: Date): Promise<{ jobId: string; epoch: number; unitId: string; runner: CpuRunner }> {
  const { jobId, epoch } = await world.leasedJob('a');
  const api = await world.asMachine('a', startAt);
  const spec = await api.runner.jobSpec({ jobId, epoch });
  await api.runner.jobStart({ jobId, epoch });
  const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
  return { jobId, epoch, unitId: job.lease!.unitId, runner: new CpuRunner(spec, IRIS_CSV()) };
}

const upload = (jobId: string, epoch: number, c: Checkpoint, at: Date) =>
  acceptCheckpoint(db, world.machines.a.id, { jobId, epoch, sha256: c.sha256, reportJson: JSON.stringify(c.report), bytes: c.bytes }, at);

const speedOf = async (unitId: string) => unitSpeedsCollection(db).findOne({ _id: unitSpeedKey(unitId, null) });
const unitOf = async (unitId: string) => (await loadSchedulableUnits(db, new Date())).find((u) => u.unitId === unitId)!;

describe('interval arithmetic', () => {
  it('is FLOPs over server seconds, refuses intervals under a second, clamps the absurd', () => {
    const minFlops = 1_000;
    expect(intervalSpeed({ flopsPerSample: 100, samples: 50, fromMs: 0, toMs: 2_000, minFlops })).toEqual({ ok: true, flopsPerSecond: 2_500, clamped: false });
    expect(intervalSpeed({ flopsPerSample: 100, samples: 50, fromMs: 0, toMs: MIN_INTERVAL_MS - 1, minFlops })).toEqual({ ok: false, reason: 'TOO_SHORT' });
    expect(intervalSpeed({ flopsPerSample: 1e12, samples: 1e9, fromMs: 0, toMs: 1_000, minFlops })).toEqual({ ok: true, flopsPerSecond: MAX_FLOPS_PER_SECOND, clamped: true });
    expect(intervalSpeed({ flopsPerSample: 100, samples: 0, fromMs: 0, toMs: 5_000, minFlops })).toEqual({ ok: false, reason: 'NO_WORK' });
    // Too little work to say anything of throughput: the default floor leaves out a toy model's interval.
    expect(intervalSpeed({ flopsPerSample: 100, samples: 9, fromMs: 0, toMs: 5_000, minFlops })).toEqual({ ok: false, reason: 'TOO_LITTLE_WORK' });
    expect(intervalSpeed({ flopsPerSample: FLOPS_PER_SAMPLE, samples: SAMPLES_PER_EPOCH, fromMs: 0, toMs: 5_000, minFlops: MIN_INTERVAL_FLOPS })).toEqual({ ok: false, reason: 'TOO_LITTLE_WORK' });
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('words a speed as measured or estimated', () => {
    expect(formatFlopsPerSecond(1.23e9)).toBe('1.2 GFLOP/s');
    expect(formatFlopsPerSecond(250e12)).toBe('250 TFLOP/s');
    expect(formatFlopsPerSecond(512)).toBe('512 FLOP/s');
    expect(describeSpeed({ flopsPerSecond: 1.2e9, source: 'measured', measurements: 3 })).toBe('measured 1.2 GFLOP/s (3 intervals)');
    expect(describeSpeed({ flopsPerSecond: 2e12, source: 'device-class estimate' }, 'gpu')).toBe('estimated 2.0 TFLOP/s (GPU class)');
  });
});

describe('measured speed from verified checkpoints', () => {
  it('records FLOPs per server second after each verified checkpoint; quote and score use it; a lying runner changes nothing', async () => {
    const t0 = new Date();
    const { jobId, epoch, unitId, runner } = await startedAt(t0);
    expect(await speedOf(unitId)).toBeNull();
    expect((await unitOf(unitId)).measuredFlopsPerSecond).toBeNull();

    // First checkpoint 2 s after jobStart: 112 samples in 2 s.
    const first = await upload(jobId, epoch, runner.epoch(0), new Date(t0.getTime() + 2_000));
    expect(first.verified).toBe(true);
    const one = (FLOPS_PER_SAMPLE * SAMPLES_PER_EPOCH) / 2;
    expect(await speedOf(unitId)).toMatchObject({ machineId: world.machines.a.id, unitId, backend: 'unknown', recent: [one], flopsPerSecond: one, samples: 1 });

    // The runner claims a million samples a second in its progress: the platform's figure does not move.
    const liar = await world.asMachine('a', new Date(t0.getTime() + 3_000));
    await liar.runner.jobProgress({ jobId, epoch, step: 10, epochIndex: 1, loss: 0.5, accuracy: 0.9, samplesPerSecond: 1e6, etaSeconds: 0 });
    expect((await speedOf(unitId))!.flopsPerSecond).toBe(one);

    // Second checkpoint 4 s after the first: 112 samples in 4 s; the speed is the median of both.
    const second = await upload(jobId, epoch, runner.epoch(1), new Date(t0.getTime() + 6_000));
    expect(second.verified).toBe(true);
    const two = (FLOPS_PER_SAMPLE * SAMPLES_PER_EPOCH) / 4;
    const stored = (await speedOf(unitId))!;
    expect(stored).toMatchObject({ recent: [one, two], samples: 2 });
    expect(stored.flopsPerSecond).toBeCloseTo((one + two) / 2, 6);

    // The job ends, so the unit is free to be weighed.
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
    // The scheduler's view and what it weighs.
    const unit = await unitOf(unitId);
    expect(unit).toMatchObject({ measuredFlopsPerSecond: stored.flopsPerSecond, measuredSamples: 2 });
    await machinesCollection(db).updateMany({}, { $set: { lastSeenAt: new Date() } });
    const units = await loadSchedulableUnits(db, new Date());
    const explained = explainCandidates({ _id: new ObjectId(), requirements: IRIS_INPUT.requirements, priceCapMicro: IRIS_INPUT.priceCapMicro, excludedMachines: [], trainingFlops: 1e6 }, units);
    const measured = explained.candidates.find((c) => c.unitId === unitId)!;
    expect(measured.speed).toEqual({ flopsPerSecond: stored.flopsPerSecond, source: 'measured', measurements: 2 });
    expect(measured.estimatedSeconds).toBeCloseTo(1e6 / stored.flopsPerSecond, 6);
    const estimated = explained.candidates.find((c) => c.machineId === world.machines.b.id && c.kind === 'gpu')!;
    expect(estimated.speed.source).toBe('device-class estimate');
    // Far slower than the GPU class estimate: its speed part is its share of the fastest.
    expect(measured.parts!.speed).toBeCloseTo(stored.flopsPerSecond / DEVICE_CLASS_FLOPS_PER_SECOND.gpu, 9);
    expect(explained.winner).toBe(estimated.unitId);

    // The quote prices the measured unit at its measured time.
    const quote = await (await world.asUser(world.alice)).jobs.quote({ modelId: world.modelId, ...IRIS_INPUT });
    const quoted = quote.units.find((u) => u.unitId === unitId)!;
    expect(quoted.speed).toMatchObject({ source: 'measured', measurements: 2 });
    // A measured speed already holds the steps' and checkpoints' time: only start-up is added.
    expect(quoted.overheadSeconds).toBe(RUN_START_US / 1e6);
    expect(quoted.seconds).toBeCloseTo(quote.trainingFlops / stored.flopsPerSecond + RUN_START_US / 1e6, 6);
    expect(quote.units.find((u) => u.unitId === estimated.unitId)!.speed.source).toBe('device-class estimate');
    // The slow measured unit is the dearest match, so the escrow covers its measured time.
    expect(quote.escrowMicro).toBe(quoted.costMicro);

    // My machines: the owner sees the measured figure on that unit, an estimate on the others.
    const mine = (await (await world.asUser(world.bob)).machines.list()).machines.find((m) => m.id === world.machines.a.id)!;
    expect(mine.units.find((u) => u.id === unitId)!.speed).toEqual({ flopsPerSecond: stored.flopsPerSecond, source: 'measured', measurements: 2 });
    expect(mine.units.filter((u) => u.id !== unitId).map((u) => u.speed!.source)).toEqual(['device-class estimate']);
  });

  it('leaves out an interval under a second, and one that spans a resume', async () => {
    // The measured unit is slow, so the escrow (the dearest match's cost) is large now.
    await world.mint(world.alice, cyx(100_000));
    const t0 = new Date();
    const { jobId, epoch, unitId, runner } = await startedAt(t0);
    const before = (await speedOf(unitId))!;
    // 0.5 s after jobStart: verified and paid, but not measured.
    expect((await upload(jobId, epoch, runner.epoch(0), new Date(t0.getTime() + 500))).verified).toBe(true);
    expect((await speedOf(unitId))!.samples).toBe(before.samples);

    // An administrator requeues it; machine a takes it again and resumes from step 7.
    await (await createCaller(await createContext({ db, headers: new Headers(), sessionUserId: admin.id }))).admin.jobs.requeue({ jobId, reason: 'speed test resume' });
    const again = await world.lease(jobId, 'a');
    expect(again).toBe(epoch + 1);
    const t1 = new Date(t0.getTime() + 10_000);
    const api = await world.asMachine('a', t1);
    await api.runner.jobSpec({ jobId, epoch: again });
    await api.runner.jobStart({ jobId, epoch: again });
    // The resumed lease's first checkpoint: its previous checkpoint is the earlier lease's, so no figure.
    expect((await upload(jobId, again, runner.epoch(1), new Date(t1.getTime() + 5_000))).verified).toBe(true);
    expect((await speedOf(unitId))!.samples).toBe(before.samples);
    expect((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.lastCheckpoint!.step).toBe(14);
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
  });
});
