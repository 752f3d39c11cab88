import { describe, expect, it } from 'vitest';
import { outcomeDetail, progressDetail } from './progress-detail';

const running = { status: 'running' as const, epoch: 2, epochs: 10, step: 300, totalSteps: 1000, etaMs: 70_000, samplesPerSecond: 1234.4 };

describe('training progress line', () => {
  it('shows the trainer\'s ETA and speed while running, 0 samples/s and no ETA while paused', () => {
    expect(progressDetail(running)).toBe('Epoch 3/10 · step 300/1000 · ETA 1m 10s · 1234 samples/s');
    expect(progressDetail({ ...running, status: 'paused' })).toBe('Epoch 3/10 · step 300/1000 · ETA paused · 0 samples/s');
    expect(progressDetail({ ...running, etaMs: null })).toContain('ETA —');
    expect(progressDetail({ ...running, status: 'completed', epoch: 9, step: 1000 })).toBe('Epoch 10/10 · step 1000/1000 · ETA — · 1234 samples/s');
  });

  it('reports the test set and early stopping once the run is done', () => {
    const outcome = { status: 'completed' as const, steps: 10, wallTimeMs: 1, validationAccuracy: 0.9, validationLoss: 0.3, testAccuracy: 0.875, testLoss: 0.41234, bestEpoch: 3, stoppedEarly: true };
    expect(outcomeDetail(outcome, 40)).toEqual({
      test: 'test accuracy 87.5% · test loss 0.4123 (40 held-out examples)',
      earlyStopping: 'Stopped early: validation loss stopped improving; kept the weights of epoch 4, the best by validation loss',
    });
    expect(outcomeDetail({ ...outcome, testAccuracy: null, testLoss: null, bestEpoch: null, stoppedEarly: false }, 0)).toEqual({ test: null, earlyStopping: null });
    expect(outcomeDetail(null, 40)).toEqual({ test: null, earlyStopping: null });
  });
});
