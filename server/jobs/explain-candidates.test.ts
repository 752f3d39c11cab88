import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { bestCandidate, explainCandidates, prepareUnit, REPUTATION_PRIOR, SCORE_WEIGHTS, type ExplainableJob } from './explain-candidates';
import type { SchedulableUnit } from './schedulable-units';
import { DEVICE_CLASS_FLOPS_PER_SECOND } from './unit-speed';

const GiB = 2 ** 30;

const unit = (over: Partial<SchedulableUnit> & { unitId: string }): SchedulableUnit => ({
  machineId: over.unitId.split('-')[0]!,
  kind: 'gpu',
  device: 'Test GPU',
  vramOffered: 24 * GiB,
  vramReserved: 0,
  unitStatus: 'active',
  machineStatus: 'online',
  pricePerHourMicro: '1000000',
  machineJobs: 0,
  machineJobsSucceeded: 0,
  heldBy: null,
  machineBusyUnits: 0,
  machineActiveUnits: 1,
  measuredFlopsPerSecond: null,
  ...over,
});

const job = (over: Partial<ExplainableJob> = {}): ExplainableJob => ({
  _id: new ObjectId(),
  requirements: { device: 'gpu', minVramBytes: 0 },
  priceCapMicro: '2000000',
  excludedMachines: [],
  trainingFlops: null,
  ...over,
});

describe('explainCandidates', () => {
  it('sums the weighted parts, each from the unit it describes', () => {
    const [c] = explainCandidates(job({ requirements: { device: 'cpu', minVramBytes: 6 * GiB }, trainingFlops: 4e12 }), [
      unit({ unitId: 'a-u0', vramOffered: 24 * GiB, vramReserved: 0, machineJobs: 5, machineJobsSucceeded: 5, machineBusyUnits: 1, machineActiveUnits: 4, pricePerHourMicro: '500000' }),
    ]).candidates;
    expect(c!.parts).toEqual({
      device: 0.5, // a CPU job on a GPU
      memory: 0.25,
      reputation: (5 + REPUTATION_PRIOR.succeeded) / (5 + REPUTATION_PRIOR.jobs),
      queue: 0.75,
      speed: 1,
      price: 0.75,
    });
    const expected = (Object.keys(SCORE_WEIGHTS) as (keyof typeof SCORE_WEIGHTS)[]).reduce((s, k) => s + SCORE_WEIGHTS[k] * c!.parts![k], 0);
    expect(c!.score).toBeCloseTo(expected, 12);
    expect(c!.speed).toEqual({ flopsPerSecond: DEVICE_CLASS_FLOPS_PER_SECOND.gpu, source: 'device-class estimate' });
    expect(c!.estimatedSeconds).toBe(4e12 / DEVICE_CLASS_FLOPS_PER_SECOND.gpu);
  });

  it('says why each unit that cannot take the job was passed over', () => {
    const units = [
      unit({ unitId: 'ex-u0' }),
      unit({ unitId: 'off-u0', machineStatus: 'offline' }),
      unit({ unitId: 'mnt-u0', machineStatus: 'maintenance' }),
      unit({ unitId: 'pause-u0', unitStatus: 'paused' }),
      unit({ unitId: 'held-u0', heldBy: 'f'.repeat(24) }),
      unit({ unitId: 'cpu-u0', kind: 'cpu' }),
      unit({ unitId: 'small-u0', vramOffered: 16 * GiB, vramReserved: 10 * GiB }),
      unit({ unitId: 'dear-u0', pricePerHourMicro: '2000001' }),
      unit({ unitId: 'ok-u0', machineStatus: 'busy', pricePerHourMicro: '2000000' }),
    ];
    const explanation = explainCandidates(job({ requirements: { device: 'gpu', minVramBytes: 8 * GiB }, excludedMachines: ['ex'] }), units);
    expect(explanation.candidates.map((c) => [c.unitId, c.passedOver?.code ?? null])).toEqual([
      ['ok-u0', null],
      ['ex-u0', 'MACHINE_EXCLUDED'],
      ['off-u0', 'MACHINE_OFFLINE'],
      ['mnt-u0', 'MACHINE_MAINTENANCE'],
      ['pause-u0', 'UNIT_PAUSED'],
      ['held-u0', 'UNIT_BUSY'],
      ['cpu-u0', 'DEVICE_MISMATCH'],
      ['small-u0', 'NOT_ENOUGH_MEMORY'],
      ['dear-u0', 'OVER_PRICE_CAP'],
    ]);
    expect(explanation.candidates.filter((c) => c.passedOver).every((c) => c.parts === null && c.score === null)).toBe(true);
    expect(explanation.winner).toBe('ok-u0');
    expect(explanation.why).toMatch(/ok-u0.*only unit.*1 MACHINE_EXCLUDED.*1 OVER_PRICE_CAP/);
  });

  it('picks the best score and says where the winner led and trailed the runner-up', () => {
    const explanation = explainCandidates(job(), [
      unit({ unitId: 'cheap-u0', pricePerHourMicro: '200000', machineJobs: 10, machineJobsSucceeded: 2 }),
      unit({ unitId: 'good-u0', pricePerHourMicro: '1000000', machineJobs: 10, machineJobsSucceeded: 10 }),
    ]);
    expect(explanation.winner).toBe('good-u0');
    expect(explanation.candidates.map((c) => c.unitId)).toEqual(['good-u0', 'cheap-u0']);
    expect(explanation.why).toMatch(/^Test GPU \(good-u0\) won with [\d.]+ against [\d.]+ for Test GPU \(cheap-u0\): ahead on reputation \(\+[\d.]+\); behind on price \(−[\d.]+\)\.$/);
  });

  it('gives a CPU job a free CPU unit before any GPU, though the GPU scores higher; a GPU only when no CPU unit fits', () => {
    const explanation = explainCandidates(job({ requirements: { device: 'cpu', minVramBytes: 0 } }), [unit({ unitId: 'g-u0' }), unit({ unitId: 'c-u1', kind: 'cpu', machineId: 'g' })]);
    // The GPU is 40× faster by the estimate and scores higher, but it is left for GPU jobs.
    expect(explanation.candidates.find((c) => c.unitId === 'c-u1')!.parts!.speed).toBeCloseTo(DEVICE_CLASS_FLOPS_PER_SECOND.cpu / DEVICE_CLASS_FLOPS_PER_SECOND.gpu);
    expect(explanation.candidates.find((c) => c.unitId === 'g-u0')!.score!).toBeGreaterThan(explanation.candidates.find((c) => c.unitId === 'c-u1')!.score!);
    expect(explanation.winner).toBe('c-u1');
    expect(explanation.why).toMatch(/\(c-u1\) won with [\d.]+: a CPU job takes a free CPU unit before any GPU/);
    expect(bestCandidate(job({ requirements: { device: 'cpu', minVramBytes: 0 } }), [unit({ unitId: 'g-u0' }), unit({ unitId: 'c-u1', kind: 'cpu', machineId: 'g' })].map(prepareUnit))?.unit.unit.unitId).toBe('c-u1');
    // No CPU unit has the memory: the GPU takes it.
    const tooSmall = explainCandidates(job({ requirements: { device: 'cpu', minVramBytes: 100 * 2 ** 30 } }), [unit({ unitId: 'g-u0', vramOffered: 200 * 2 ** 30 }), unit({ unitId: 'c-u1', kind: 'cpu', machineId: 'g' })]);
    expect(tooSmall.winner).toBe('g-u0');
  });

  it('takes a measured speed over the device-class estimate (the seam for runner figures)', () => {
    const explanation = explainCandidates(job(), [unit({ unitId: 'slow-u0', measuredFlopsPerSecond: 1e11 }), unit({ unitId: 'est-u0' })]);
    expect(explanation.candidates.map((c) => [c.unitId, c.speed.source, c.parts!.speed])).toEqual([
      ['est-u0', 'device-class estimate', 1],
      ['slow-u0', 'measured', 1e11 / DEVICE_CLASS_FLOPS_PER_SECOND.gpu],
    ]);
  });

  it('gives a machine with no history the prior, so one failure does not rank it below a stranger', () => {
    const explanation = explainCandidates(job(), [unit({ unitId: 'new-u0' }), unit({ unitId: 'once-u0', machineJobs: 1, machineJobsSucceeded: 0 })]);
    expect(explanation.candidates.map((c) => c.parts!.reputation)).toEqual([0.8, 4 / 6]);
    expect(explanation.winner).toBe('new-u0');
  });

  it('prefers the idler machine, and the tighter fit for a job that needs memory', () => {
    const idle = explainCandidates(job(), [unit({ unitId: 'busy-u0', machineBusyUnits: 3, machineActiveUnits: 4 }), unit({ unitId: 'idle-u0' })]);
    expect(idle.winner).toBe('idle-u0');
    const fit = explainCandidates(job({ requirements: { device: 'gpu', minVramBytes: 16 * GiB } }), [unit({ unitId: 'big-u0', vramOffered: 80 * GiB }), unit({ unitId: 'fit-u0', vramOffered: 24 * GiB })]);
    expect(fit.winner).toBe('fit-u0');
  });

  it('breaks a tie by price, then by unit id, so every scheduler agrees', () => {
    const tie = explainCandidates(job({ priceCapMicro: '0' }), [unit({ unitId: 'b-u0', pricePerHourMicro: '0' }), unit({ unitId: 'a-u0', pricePerHourMicro: '0' })]);
    expect(tie.winner).toBe('a-u0');
    expect(tie.why).toMatch(/tied on every part, chosen for its unit id/);
  });

  it('says why nothing can take the job', () => {
    expect(explainCandidates(job(), []).why).toBe('No compute units are registered.');
    const none = explainCandidates(job(), [unit({ unitId: 'c-u0', kind: 'cpu' }), unit({ unitId: 'd-u0', kind: 'cpu' })]);
    expect([none.winner, none.why]).toEqual([null, 'No unit can take this job: 2 DEVICE_MISMATCH.']);
  });
});

describe('bestCandidate', () => {
  /** A small deterministic generator, so a failure names a fleet that can be rebuilt. */
  function random(seed: number) {
    let s = seed >>> 0;
    return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }

  it("picks explainCandidates' winner with its score on random fleets, ties and refusals included", () => {
    const pick = <T,>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      // Few distinct values, so equal scores (decided by price, then unit id) come up often.
      const units = Array.from({ length: 1 + Math.floor(r() * 40) }, (_, i) =>
        unit({
          unitId: `m${Math.floor(r() * 8)}-u${i}`,
          kind: pick(r, ['gpu', 'cpu'] as const),
          vramOffered: pick(r, [0, 8, 24, 48]) * GiB,
          vramReserved: pick(r, [0, 0, 4]) * GiB,
          unitStatus: pick(r, ['active', 'active', 'active', 'paused'] as const),
          machineStatus: pick(r, ['online', 'online', 'busy', 'offline', 'maintenance'] as const),
          pricePerHourMicro: pick(r, ['500000', '1000000', '1000000', '2500000']),
          machineJobs: pick(r, [0, 5, 10]),
          machineJobsSucceeded: pick(r, [0, 4, 5]),
          heldBy: r() < 0.15 ? new ObjectId().toHexString() : null,
          machineBusyUnits: pick(r, [0, 1, 2]),
          machineActiveUnits: pick(r, [0, 2, 4]),
          measuredFlopsPerSecond: r() < 0.2 ? pick(r, [1e11, 3e12]) : null,
        }),
      );
      const j = job({
        requirements: { device: pick(r, ['gpu', 'cpu'] as const), minVramBytes: pick(r, [0, 4, 16]) * GiB },
        priceCapMicro: pick(r, ['0', '1000000', '2000000']),
        excludedMachines: r() < 0.3 ? ['m1', 'm2'] : [],
      });
      const explained = explainCandidates(j, units);
      const best = bestCandidate(j, units.map(prepareUnit));
      expect(best?.unit.unit.unitId ?? null, `seed ${seed}`).toBe(explained.winner);
      if (best) expect(best.score, `seed ${seed}`).toBe(explained.candidates[0]!.score);
    }
  });
});
