/** What a training run reports through onProgress. */
export interface BatchProgress {
  readonly type: 'batch';
  readonly epoch: number;
  /** Batch index within the epoch of the last step in this window (0-based). */
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** Mean training loss over the steps since the previous report. */
  readonly loss: number;
  readonly accuracy: number | undefined;
  readonly learningRate: number;
  /** Active (not paused) time per step over the recent reports. */
  readonly batchTimeMs: number;
  readonly samplesPerSecond: number;
  /** Active time left at the recent step rate (compile and first steps excluded); undefined until known. */
  readonly etaMs: number | undefined;
}

export interface EpochProgress {
  readonly type: 'epoch';
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number | undefined;
  readonly validationLoss: number | undefined;
  readonly validationAccuracy: number | undefined;
  readonly learningRate: number;
  readonly timeMs: number;
  readonly samplesPerSecond: number;
}

export interface StateProgress {
  readonly type: 'state';
  readonly state: TrainingState;
}

export type TrainingEvent = BatchProgress | EpochProgress | StateProgress;

export type TrainingState = 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'completed' | 'failed';
