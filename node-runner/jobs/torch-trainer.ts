import type { Dataset } from '../../compute/data/dataset';
import { featureSize } from '../../compute/data/dataset';
import { buildModelPlan, type ModelPlan } from '../../compute/model/plan';
import { sizeOf } from '../../compute/model/tensor';
import { scoreOutputs, type Evaluation } from '../../compute/train/evaluate';
import { StepRate } from '../../compute/train/step-rate';
import type { TorchExecutor } from '../torch/torch-executor';
import { trainOnTorch } from '../torch/torch-training';
import { jobTrainConfig } from './job-config';
import type { JobTrainer, TrainerResult, TrainerSegment } from './job-trainer';

/** Examples per forward request when scoring the validation split. */
const EVAL_CHUNK = 512;

/**
 * Job segments on PyTorch (CPU or CUDA) through the torch executor: trainOnTorch with a hold after
 * each epoch, where the executor writes the checkpoint and scores the validation split in
 * inference mode, scored by compute/train's scoreOutputs like the engine's evaluate().
 */
export class TorchTrainer implements JobTrainer {
  constructor(
    readonly backend: 'torch-cpu' | 'torch-cuda',
    private readonly executor: TorchExecutor,
    readonly description: string,
  ) {}

  async train(segment: TrainerSegment): Promise<TrainerResult> {
    const config = jobTrainConfig(segment.config);
    const plan = buildModelPlan(segment.graph);
    const trainSet = segment.data.train;
    const batchSize = Math.min(config.batchSize, trainSet.size);
    const totalSteps = config.epochs * Math.floor(trainSet.size / batchSize);
    const rate = new StepRate();
    const started = performance.now();
    let windowLoss = 0;
    let windowSteps = 0;
    let windowCorrect = 0;
    let windowCounted = 0;
    let lastReport = 0;
    let windowStart = 0;
    const result = await trainOnTorch(plan, { train: trainSet }, config, {
      executor: this.executor,
      signal: segment.signal,
      metadata: segment.metadata,
      ...(segment.startCheckpoint ? { checkpoint: segment.startCheckpoint } : {}),
      onStep: ({ epoch, step, loss, correct, counted }) => {
        windowLoss += loss;
        windowSteps++;
        windowCorrect += correct;
        windowCounted += counted;
        const now = performance.now() - started;
        // Progress is read about as often as train() reads its metrics on Dawn: every metricsEvery steps.
        if (windowSteps < config.metricsEvery && now - lastReport < 1000) return;
        rate.record(step, now);
        lastReport = now;
        // Until the moving window has two reports, the rate of this window (as train() does).
        const stepsPerSecond = rate.stepsPerSecond() ?? (windowSteps * 1000) / Math.max(1e-3, now - windowStart);
        windowStart = now;
        const eta = rate.etaMs(totalSteps);
        segment.onProgress({
          step, epochIndex: epoch, loss: windowLoss / windowSteps, accuracy: windowCounted > 0 ? windowCorrect / windowCounted : null,
          samplesPerSecond: stepsPerSecond * batchSize, etaSeconds: eta === undefined ? null : eta / 1000,
        });
        windowLoss = 0;
        windowSteps = 0;
        windowCorrect = 0;
        windowCounted = 0;
      },
      afterEpoch: async (epoch) => {
        const checkpoint = await this.executor.checkpoint();
        const validation = await evaluateOnTorch(this.executor, plan, segment.data.validation);
        return segment.onEpoch({
          epochIndex: epoch.epoch, step: epoch.step, trainLoss: Number.isFinite(epoch.loss) ? epoch.loss : null, trainAccuracy: Number.isFinite(epoch.accuracy) ? epoch.accuracy : null,
          valLoss: Number.isFinite(validation.loss) ? validation.loss : null, valAccuracy: validation.accuracy ?? null, checkpoint,
        });
      },
    });
    return { status: result.status, step: result.steps };
  }

  close(): Promise<void> {
    return this.executor.shutdown();
  }
}

/** Inference-mode scores of the model the executor holds on a dataset, as compute/train's evaluate() scores the engine's. */
export async function evaluateOnTorch(executor: TorchExecutor, plan: ModelPlan, dataset: Dataset): Promise<Evaluation> {
  const primary = plan.outputs[0];
  const input = plan.inputs[0];
  if (!primary || !input) throw new Error('The model has no loss or no Input layer to evaluate');
  const width = sizeOf(primary.shape);
  const perExample = featureSize(dataset);
  const outputs = new Float32Array(dataset.size * width);
  for (let start = 0; start < dataset.size; start += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, dataset.size - start);
    const answer = await executor.forward({ batch: n, inputs: { [input.id]: dataset.features.subarray(start * perExample, (start + n) * perExample) } });
    const values = answer.get(primary.source);
    if (!values || values.length !== n * width) throw new Error(`The torch executor answered no ${n}×${width} output for '${primary.source}'`);
    outputs.set(values, start * width);
  }
  return scoreOutputs(outputs, dataset, { type: primary.lossType, width });
}
