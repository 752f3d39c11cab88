import { generateModelCode } from '../../compute/export/pytorch/model-code';
import { readSafetensors } from '../../compute/export/safetensors/format';
import { saveCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { saveWeights, WEIGHT_LAYOUT_METADATA } from '../../compute/export/safetensors/weights';
import type { LrSchedule } from '../../compute/layers/lr-schedules';
import type { OptimizerConfig } from '../../compute/layers/optimizers';
import type { Feed } from '../../compute/model/feed';
import type { OptimizerState } from '../../compute/model/optimizer';
import type { ModelPlan } from '../../compute/model/plan';
import type { ParameterSet } from '../../compute/model/tensor';
import { TorchProcess, type TorchProcessOptions } from './torch-process';

/**
 * A model trained by the torch executor: the plan becomes model.py through the PyTorch export (the
 * same code users download), weights and checkpoints travel as CyxWiz safetensors, batches as
 * base64 little-endian arrays. One process serves one model at a time; `load` replaces it.
 */
export interface TorchModelOptions {
  readonly plan: ModelPlan;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: LrSchedule;
  /** Seeds the dropout masks (the WGSL engine's hash of (seed, step)). */
  readonly seed: number;
  /** Start weights; or `checkpoint` (weights, optimizer slots and step). One of the two. */
  readonly params?: ParameterSet;
  readonly checkpoint?: { readonly params: ParameterSet; readonly optimizer: OptimizerState } | Uint8Array;
  /** Or a weights/checkpoint file the executor reads itself (large models need not travel as base64). */
  readonly weightsPath?: string;
  /** Extra `__metadata__` for the checkpoints it writes (e.g. preprocessing, class names). */
  readonly metadata?: Record<string, string>;
}

export interface TorchStepOptions {
  readonly grads?: boolean;
  readonly weights?: boolean;
  /** Fixed keep-masks (1 keep, 0 drop) per Dropout node id instead of the engine's hash. */
  readonly masks?: Readonly<Record<string, Uint8Array>>;
}

export interface TorchStepResult {
  readonly loss: number;
  readonly losses: Record<string, number>;
  readonly lr: number;
  readonly step: number;
  /** Class-index losses' argmax hits and the examples they scored (absent when the graph has none). */
  readonly accuracy?: { readonly correct: number; readonly counted: number };
  readonly grads?: ParameterSet;
  readonly weights?: ParameterSet;
}

export class TorchExecutor {
  private plan: ModelPlan | undefined;

  private constructor(readonly process: TorchProcess) {}

  static async start(options: TorchProcessOptions = {}): Promise<TorchExecutor> {
    return new TorchExecutor(await TorchProcess.start(options));
  }

  /** Builds the model in torch from the plan and loads weights (or a checkpoint); returns the step it resumes at. */
  async load(options: TorchModelOptions): Promise<number> {
    const weights = options.checkpoint instanceof Uint8Array
      ? options.checkpoint
      : options.checkpoint
        ? saveCheckpoint(options.checkpoint)
        : options.params
          ? saveWeights(options.params)
          : undefined;
    const answer = await this.process.request('init', {
      code: generateModelCode(options.plan),
      optimizer: options.optimizer,
      schedule: options.schedule ?? { type: 'constant' },
      seed: options.seed,
      metadata: { ...WEIGHT_LAYOUT_METADATA, ...options.metadata },
      ...(weights ? { weights: toBase64(weights) } : {}),
      ...(options.weightsPath ? { weightsPath: options.weightsPath } : {}),
    });
    this.plan = options.plan;
    return answer['step'] as number;
  }

  async step(feed: Feed, options: TorchStepOptions = {}): Promise<TorchStepResult> {
    const answer = await this.process.request('step', {
      ...encodeFeed(feed),
      labels: Object.fromEntries(Object.entries(feed.labels ?? {}).map(([id, values]) => [id, toBase64(labelBytes(this.plan, id, values))])),
      ...(options.masks ? { masks: Object.fromEntries(Object.entries(options.masks).map(([id, m]) => [id, toBase64(m)])) } : {}),
      want: { grads: options.grads === true, weights: options.weights === true },
    });
    return {
      loss: answer['loss'] as number,
      losses: answer['losses'] as Record<string, number>,
      lr: answer['lr'] as number,
      step: answer['step'] as number,
      ...(typeof answer['counted'] === 'number' && answer['counted'] > 0 ? { accuracy: { correct: answer['correct'] as number, counted: answer['counted'] } } : {}),
      ...(answer['grads'] ? { grads: tensorsOf(answer['grads'] as string) } : {}),
      ...(answer['weights'] ? { weights: tensorsOf(answer['weights'] as string) } : {}),
    };
  }

  /** Inference-mode outputs: the tensor each loss scores, keyed by the node that produces it. */
  async forward(feed: Pick<Feed, 'batch' | 'inputs'>): Promise<Map<string, Float32Array>> {
    const answer = await this.process.request('forward', encodeFeed(feed));
    return new Map([...tensorsOf(answer['outputs'] as string)].map(([k, t]) => [k, t.data as Float32Array]));
  }

  /** A checkpoint in CyxWiz's format (compute/export/safetensors/checkpoint.ts), loadable by loadCheckpoint. */
  async checkpoint(): Promise<Uint8Array> {
    return fromBase64((await this.process.request('checkpoint'))['checkpoint'] as string);
  }

  /** Writes the checkpoint to a file (through a temporary file and a rename); returns its size in bytes. */
  async checkpointToFile(path: string): Promise<number> {
    return (await this.process.request('checkpoint', { path }))['bytes'] as number;
  }

  shutdown(): Promise<void> {
    return this.process.shutdown();
  }
}

function encodeFeed(feed: Pick<Feed, 'batch' | 'inputs'>): Record<string, unknown> {
  return { batch: feed.batch, inputs: Object.fromEntries(Object.entries(feed.inputs).map(([id, values]) => [id, toBase64(Float32Array.from(values))])) };
}

/** Class indices travel as i32, values as f32: the executor reads them by the Labels node's encoding. */
function labelBytes(plan: ModelPlan | undefined, id: string, values: ArrayLike<number>): Int32Array | Float32Array {
  return plan?.byId.get(id)?.params['encoding'] === 'class-index' ? Int32Array.from(values) : Float32Array.from(values);
}

function tensorsOf(base64: string): ParameterSet {
  const params: ParameterSet = new Map();
  for (const [name, t] of readSafetensors(fromBase64(base64)).tensors) params.set(name, { shape: [...t.shape], data: Float32Array.from(t.data) });
  return params;
}

function toBase64(values: ArrayBufferView): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
