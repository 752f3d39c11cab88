import { describe, expect, it } from 'vitest';
import { canCancel, chartSeries, jobStepsPerEpoch, MAX_CHART_POINTS, mergePoints, progressLine, timelineText } from './job-format';

const point = (seq: number, loss: number | null = 1, valAccuracy: number | null = null) => ({ seq, step: seq * 10, loss, accuracy: null, valLoss: null, valAccuracy });

describe('mergePoints', () => {
  it('appends fresh points, and merges resent ones by seq in order', () => {
    const shown = [point(1), point(2)];
    expect(mergePoints(shown, []).map((p) => p.seq)).toEqual([1, 2]);
    expect(mergePoints(shown, [point(3)]).map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(mergePoints(shown, [point(2, 0.5), point(4)]).map((p) => [p.seq, p.loss])).toEqual([[1, 1], [2, 0.5], [4, 1]]);
  });

  it('thins the older half once past the cap, keeping the newest exact', () => {
    const many = Array.from({ length: MAX_CHART_POINTS }, (_, i) => point(i + 1));
    const merged = mergePoints(many, [point(MAX_CHART_POINTS + 1)]);
    expect(merged.length).toBeLessThan(MAX_CHART_POINTS);
    expect(merged.at(-1)!.seq).toBe(MAX_CHART_POINTS + 1);
    expect(merged.slice(-100).map((p) => p.seq)).toEqual(Array.from({ length: 100 }, (_, i) => MAX_CHART_POINTS - 98 + i));
  });
});

describe('jobStepsPerEpoch (the charts\' epoch axis)', () => {
  const report = (step: number, epochIndex: number, valLoss: number | null) => ({ seq: step, step, epochIndex, loss: 1, accuracy: null, valLoss, valAccuracy: null });
  it('reads it off the latest validation report (an epoch end), else the job\'s totals', () => {
    const points = [report(5, 0, null), report(12, 0, 0.9), report(20, 1, null), report(24, 1, 0.8), report(30, 2, null)];
    expect(jobStepsPerEpoch({ totalSteps: 100, config: { epochs: 4 } }, points)).toBe(12);
    expect(jobStepsPerEpoch({ totalSteps: 100, config: { epochs: 4 } }, [report(5, 0, null)])).toBe(25);
    expect(jobStepsPerEpoch({ totalSteps: null, config: { epochs: 4 } }, [])).toBeNull();
    expect(jobStepsPerEpoch({ totalSteps: 100, config: null }, [])).toBeNull();
  });
});

describe('job page text', () => {
  it('charts only what was reported, by step', () => {
    expect(chartSeries([point(1, 2), point(2, null, 0.8)])).toEqual({ trainLoss: [[10, 2]], trainAcc: [], valLoss: [], valAcc: [[20, 0.8]] });
  });

  it('says where the run is', () => {
    expect(progressLine({ status: 'ESCROWED', totalSteps: 40, latest: null })).toBe('not started');
    expect(progressLine({ status: 'RUNNING', totalSteps: 40, latest: { step: 30, samplesPerSecond: 512.4, etaSeconds: 4 } })).toBe('step 30 of 40 · 512 samples/s · about 4s left');
    expect(progressLine({ status: 'PAYMENT_RELEASED', totalSteps: 40, latest: { step: 40, samplesPerSecond: 1, etaSeconds: 0 } })).toBe('all 40 steps done');
    expect(timelineText({ type: 'assign', machineId: 'abc', reason: null }, () => 'rig')).toBe('Assigned to rig');
    expect(timelineText({ type: 'fail', machineId: null, reason: 'out of memory' })).toBe('Failed on the machine: out of memory');
    expect([canCancel('RUNNING'), canCancel('REFUNDED')]).toEqual([true, false]);
  });
});
