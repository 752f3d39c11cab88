import type { Shape } from '../graph/types';
import type { Problem } from '../validate/problem';

/**
 * Size and cost of one layer. FLOPs and activation memory are for ONE example (multiply by the
 * batch or sample count); parameters and weight memory are for the whole layer. Memory assumes
 * float32 (4 bytes a value), as the engine stores everything.
 */
export interface LayerFacts {
  readonly nodeId: string;
  /** As people see the layer: their own label, or "Dense 2". */
  readonly label: string;
  readonly type: string;
  /** The output for one example; undefined for losses, which have no output. */
  readonly outputShape: Shape | undefined;
  /** Weights and biases (BatchNorm's scale and shift included). */
  readonly trainableParams: number;
  /** Buffers saved with the weights but never trained: BatchNorm's running mean and variance. */
  readonly nonTrainableParams: number;
  readonly params: number;
  readonly forwardFlops: number;
  /** Forward + backward: 3× forward for layers with trainable parameters, 2× otherwise. */
  readonly trainingFlops: number;
  /** Output elements × 4 bytes; 0 for layers whose output aliases their input (Flatten, Reshape). */
  readonly activationBytes: number;
  /** All parameters × 4 bytes. */
  readonly weightBytes: number;
  /** What Adam and AdamW add: two more float32 copies (m and v) of the trainable parameters. */
  readonly adamStateBytes: number;
}

export interface ModelTotals {
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly params: number;
  /** Per example. */
  readonly forwardFlops: number;
  /** Per example: what training on one sample for one epoch costs. */
  readonly trainingFlops: number;
  /** Per example: every stored layer output, which the backward pass needs kept. */
  readonly activationBytes: number;
  readonly weightBytes: number;
  readonly adamStateBytes: number;
  /** Weights plus Adam's state: the parameter memory of an Adam run. */
  readonly weightAndAdamBytes: number;
}

export interface ModelFacts {
  readonly ok: true;
  /** In topological order. */
  readonly layers: readonly LayerFacts[];
  readonly totals: ModelTotals;
}

/** A graph that does not validate has no facts, only the validator's problems (all of them). */
export interface ModelFactsProblems {
  readonly ok: false;
  readonly problems: readonly Problem[];
}

export type ModelFactsResult = ModelFacts | ModelFactsProblems;
