import { formatDuration } from './ProgressBar';
import type { LocalRun } from './trainer-client';

type ProgressFacts = Pick<LocalRun, 'status' | 'epoch' | 'epochs' | 'step' | 'totalSteps' | 'etaMs' | 'samplesPerSecond'>;

/**
 * The line under the progress bar. The ETA is the trainer's, from recent step times with the
 * compile left out; while paused nothing trains, so the speed reads 0 and there is no ETA.
 */
export function progressDetail(run: ProgressFacts): string {
  const paused = run.status === 'paused';
  const eta = paused ? 'paused' : run.status === 'running' && run.etaMs !== null ? formatDuration(run.etaMs) : '—';
  const epoch = Math.min(run.epoch + 1, Math.max(1, run.epochs));
  const speed = paused ? ' · 0 samples/s' : run.samplesPerSecond ? ` · ${Math.round(run.samplesPerSecond)} samples/s` : '';
  return `Epoch ${epoch}/${run.epochs} · step ${run.step}/${run.totalSteps} · ETA ${eta}${speed}`;
}

/** How the run ended on the held-out test set and under early stopping; null until it has. */
export function outcomeDetail(outcome: LocalRun['outcome'], testSize: number): { test: string | null; earlyStopping: string | null } {
  if (!outcome) return { test: null, earlyStopping: null };
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const test = testSize > 0 && outcome.testLoss !== null ? `test accuracy ${pct(outcome.testAccuracy)} · test loss ${outcome.testLoss.toFixed(4)} (${testSize} held-out examples)` : null;
  const earlyStopping =
    outcome.bestEpoch === null
      ? null
      : `${outcome.stoppedEarly ? 'Stopped early: validation loss stopped improving' : 'Early stopping did not trigger'}; kept the weights of epoch ${outcome.bestEpoch + 1}, the best by validation loss`;
  return { test, earlyStopping };
}
