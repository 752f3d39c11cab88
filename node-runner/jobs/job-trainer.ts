import type { Graph } from '../../compute/graph/types';
import type { PreparedData } from '../../compute/train/prepare-data';
import type { TrainConfigInput } from '../../compute/train/train-config';
import type { Backend } from '../backend-choice';

/** A moment in training the executor may report (the platform's progress fields). */
export interface TrainerProgress {
  readonly step: number;
  readonly epochIndex: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly samplesPerSecond: number | null;
  readonly etaSeconds: number | null;
}

/** The end of an epoch: its checkpoint and the scores the platform will check. */
export interface TrainerEpoch {
  readonly epochIndex: number;
  readonly step: number;
  /** Mean step loss over the epoch's steps run here. */
  readonly trainLoss: number | null;
  readonly trainAccuracy: number | null;
  /** Inference-mode mean cross-entropy (or MSE) and accuracy on the validation split, scored like compute/train/evaluate.ts. */
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  /** Weights, optimizer state and step (safetensors, our checkpoint format) with the job's metadata. */
  readonly checkpoint: Uint8Array;
}

export interface TrainerSegment {
  readonly graph: Graph;
  readonly config: TrainConfigInput;
  /** prepareJobData's splits: trained on exactly these. */
  readonly data: PreparedData;
  /** Resume from this checkpoint (its step places the run at its epoch and batch); null: the seeded start. */
  readonly startCheckpoint: Uint8Array | null;
  /** __metadata__ of every checkpoint written. */
  readonly metadata: Record<string, string>;
  /** Aborted: stop at once (after the step in flight); nothing more is reported. */
  readonly signal: AbortSignal;
  onProgress(progress: TrainerProgress): void;
  /** Awaited before the next epoch starts; false ends the segment there. */
  onEpoch(epoch: TrainerEpoch): Promise<boolean>;
}

export interface TrainerResult {
  /** completed: every step of the run's config was taken. */
  readonly status: 'completed' | 'stopped';
  readonly step: number;
}

/** Trains job segments on one backend; one segment at a time. */
export interface JobTrainer {
  readonly backend: Backend;
  /** Where it trains, in words (adapter or device). */
  readonly description: string;
  train(segment: TrainerSegment): Promise<TrainerResult>;
  close(): Promise<void>;
}
