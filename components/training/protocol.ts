/**
 * Messages between the training panel (main thread) and train.worker.ts. Everything here is
 * structured-cloneable: graphs and configs as plain JSON, bytes as ArrayBuffers (transferred).
 */
import type { InputColumn } from '@/compute/data';
import type { Preprocessing, PreprocessingKind } from '@/compute/data/preprocessing';
import type { Graph } from '@/compute/graph';
import type { TrainConfigInput, TrainingEvent } from '@/compute/train';
import type { BoundaryPlot } from './decision-plot';
import type { EvaluationMetrics } from './evaluation-metrics';
import type { RowPrediction } from './predict-rows';

export type { DataSpec, DataSummary, SyntheticName } from '@/compute/train/prepare-data';
import type { DataSpec, DataSummary } from '@/compute/train/prepare-data';

export type Backend = 'webgpu' | 'cpu';

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** What the worker learned about WebGPU: an adapter, or the reason there is none. */
export type GpuProbe = { readonly ok: true; readonly adapter: AdapterInfo } | { readonly ok: false; readonly reason: string };

export interface SamplePrediction {
  readonly features: number[];
  readonly predicted: number;
  readonly actual: number;
  /** Softmax probability of the predicted class. */
  readonly confidence: number;
}

/** One split (validation or test) scored with the run's weights. */
export interface SplitEvaluation {
  readonly samples: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly confusion: number[][] | null;
  readonly perClassAccuracy: (number | null)[] | null;
  /** Precision / recall / F1, confusion counts and shares, ROC; or MSE / MAE / R² for regression. */
  readonly metrics: EvaluationMetrics;
  /** Two-feature classifiers: the predicted class over the plane of the features; null otherwise. */
  readonly boundary: BoundaryPlot | null;
  readonly classNames: readonly string[];
  readonly predictions: SamplePrediction[];
}

/** The validation split, with the held-out test split alongside when the run kept one. */
export interface EvaluationReport extends SplitEvaluation {
  readonly test: SplitEvaluation | null;
}

/** 'checkpoint': weights + optimizer state + step (compute/export's checkpoint format), for runs trained on WebGPU here. */
export type ExportFormat = 'onnx' | 'pytorch' | 'safetensors' | 'checkpoint';

export interface ExportedFile {
  readonly name: string;
  readonly mime: string;
  readonly bytes: ArrayBuffer;
}

/** Raw validation rows for the exported model, and what our pipeline (preprocess + forward) gives for them. */
export interface OnnxCheckData {
  readonly inputName: string;
  readonly inputShape: readonly number[];
  readonly batch: number;
  /** Unscaled: the export carries its preprocessing, so the check covers it too. */
  readonly features: Float32Array;
  /** Output name -> our values for it, e.g. logits and probabilities. */
  readonly expected: Readonly<Record<string, Float32Array>>;
}

export type ToWorker =
  | { readonly type: 'probe' }
  | {
      readonly type: 'start';
      readonly runId: string;
      readonly graph: Graph;
      readonly data: DataSpec;
      readonly config: TrainConfigInput;
      readonly backend: Backend;
      /** How features are scaled (fitted on the training split); default standardise. */
      readonly preprocessing?: PreprocessingKind;
      /** Continue training the current run (a loaded one): start from its weights, with its scaling kept as is. */
      readonly continueCurrent?: boolean;
    }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  | { readonly type: 'evaluate'; readonly requestId: number }
  | { readonly type: 'export'; readonly requestId: number; readonly format: ExportFormat }
  | {
      /** A saved run's weights, to evaluate, export or predict with; `data` (its dataset, when at hand) is split as the run split it. */
      readonly type: 'load';
      readonly requestId: number;
      readonly runId: string;
      readonly graph: Graph;
      readonly weights: ArrayBuffer;
      readonly config: TrainConfigInput;
      readonly preprocessing: Preprocessing;
      readonly classNames: readonly string[];
      /** How raw rows become its features; null when they are the raw values (older runs). */
      readonly inputColumns: readonly InputColumn[] | null;
      readonly data: DataSpec | null;
    }
  /** `rows` are feature rows as the model's preprocessing takes them: raw numbers, categorical columns already encoded (predict-rows.ts). */
  | { readonly type: 'predict'; readonly requestId: number; readonly rows: number[][] };

export interface RunOutcome {
  readonly status: 'completed' | 'stopped';
  readonly steps: number;
  readonly wallTimeMs: number;
  readonly validationAccuracy: number | null;
  readonly validationLoss: number | null;
  /** The held-out test set, scored once with the final weights; null without one. */
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
  /** With early stopping on: the best epoch (0-based) by validation loss, whose weights the run ended with. */
  readonly bestEpoch: number | null;
  readonly stoppedEarly: boolean;
}

export type FromWorker =
  | { readonly type: 'probe'; readonly probe: GpuProbe }
  | { readonly type: 'data'; readonly runId: string; readonly summary: DataSummary; readonly totalSteps: number }
  | { readonly type: 'progress'; readonly runId: string; readonly event: TrainingEvent }
  | { readonly type: 'done'; readonly runId: string; readonly outcome: RunOutcome }
  | { readonly type: 'failed'; readonly runId: string; readonly message: string }
  | { readonly type: 'evaluation'; readonly requestId: number; readonly report: EvaluationReport }
  | { readonly type: 'exported'; readonly requestId: number; readonly files: ExportedFile[]; readonly check?: OnnxCheckData }
  | { readonly type: 'loaded'; readonly requestId: number; readonly summary: DataSummary | null }
  | { readonly type: 'predicted'; readonly requestId: number; readonly predictions: RowPrediction[] }
  | { readonly type: 'request-failed'; readonly requestId: number; readonly message: string };
