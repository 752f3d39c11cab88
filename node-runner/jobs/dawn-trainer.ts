import type { GpuRuntime } from '../../compute/gpu/runtime';
import { train } from '../../compute/train/train';
import type { JobTrainer, TrainerResult, TrainerSegment } from './job-trainer';
import { jobTrainConfig } from './job-config';

/**
 * Job segments on compute/ through Dawn: one uninterrupted train() that pauses at each epoch end
 * (after its validation pass) while the checkpoint is read and handed over, then resumes. Pausing
 * between steps changes nothing the steps compute, so the weights are those of a run never paused.
 */
export class DawnTrainer implements JobTrainer {
  readonly backend = 'dawn' as const;

  constructor(
    private readonly runtime: GpuRuntime | GPUDevice,
    readonly description: string,
    private readonly variant?: 'tiled-shared' | 'cpu-friendly',
    /** Frees what the trainer was given, when it owns it (start.ts: the Dawn device). */
    private readonly onClose?: () => void,
  ) {}

  async train(segment: TrainerSegment): Promise<TrainerResult> {
    const config = jobTrainConfig(segment.config);
    const { train: trainSet, validation, test } = segment.data;
    const run = train(segment.graph, { train: trainSet, validation, test }, config, {
      device: this.runtime,
      signal: segment.signal,
      ...(segment.startCheckpoint ? { checkpoint: segment.startCheckpoint } : {}),
      ...(this.variant ? { variant: this.variant } : {}),
      onProgress: (event) => {
        if (event.type === 'batch') {
          segment.onProgress({
            step: event.step, epochIndex: event.epoch, loss: finite(event.loss), accuracy: finite(event.accuracy),
            samplesPerSecond: finite(event.samplesPerSecond), etaSeconds: event.etaMs === undefined ? null : event.etaMs / 1000,
          });
          return;
        }
        if (event.type !== 'epoch' || segment.signal.aborted) return;
        // Hold the next step until the checkpoint is read and the executor has dealt with it.
        run.pause();
        epochWork = epochWork.then(async () => {
          if (segment.signal.aborted) return;
          const checkpoint = await run.checkpoint(segment.metadata);
          const keepGoing = await segment.onEpoch({
            epochIndex: event.epoch, step: event.step, trainLoss: finite(event.loss), trainAccuracy: finite(event.accuracy),
            valLoss: finite(event.validationLoss), valAccuracy: finite(event.validationAccuracy), checkpoint,
          });
          if (keepGoing) run.resume();
          else run.stop();
        });
        epochWork.catch(() => run.stop());
      },
    });
    let epochWork: Promise<void> = Promise.resolve();
    try {
      const result = await run.done;
      // The last epoch's checkpoint is read after the loop has ended: wait for it before the buffers go.
      await epochWork;
      const totalSteps = config.epochs * Math.floor(trainSet.size / Math.min(config.batchSize, trainSet.size));
      return { status: result.steps >= totalSteps ? 'completed' : 'stopped', step: result.steps };
    } finally {
      await epochWork.catch(() => undefined);
      run.dispose();
    }
  }

  async close(): Promise<void> {
    this.onClose?.();
  }
}

function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
