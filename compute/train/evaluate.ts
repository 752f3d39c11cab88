import type { Dataset } from '../data/dataset';
import type { GpuEngine } from '../engine/gpu-engine';

/** Inference-mode metrics over a whole dataset. */
export interface Evaluation {
  readonly samples: number;
  readonly loss: number;
  /** Classification only. */
  readonly accuracy: number | undefined;
  /** confusion[actual][predicted] counts; classification only. */
  readonly confusion: number[][] | undefined;
  /** Accuracy per actual class (null for a class with no examples); classification only. */
  readonly perClassAccuracy: (number | null)[] | undefined;
  /** The primary output per example, row-major (logits for classifiers), for compute/eval's metrics. */
  readonly outputs?: Float32Array;
}

/**
 * Runs the engine's inference forward over a dataset (in batch-size chunks, all queued before the
 * first result is awaited) and scores the outputs on the host: cross-entropy from the logits (in
 * float64, max-shifted) with a confusion matrix, or mean squared error for regression.
 */
export async function evaluate(engine: GpuEngine, dataset: Dataset): Promise<Evaluation> {
  const outputs = await engine.predict(dataset.features, dataset.size);
  const primary = engine.plan.losses[0]!;
  return scoreOutputs(outputs, dataset, primary);
}

/**
 * Scores inference outputs of the primary loss's tensor (`width` values per example) against a
 * dataset's labels, as evaluate() does. Any backend (torch's forward, the platform's CPU forward)
 * scores through this so their numbers agree with the engine's.
 */
export function scoreOutputs(outputs: Float32Array, dataset: Dataset, primary: { readonly type: string; readonly width: number }): Evaluation {
  if (dataset.task === 'classification' && primary.type === 'SoftmaxCrossEntropy') {
    return scoreClassification(outputs, dataset.labels, primary.width, Math.max(dataset.numClasses, primary.width));
  }
  let sum = 0;
  for (let i = 0; i < outputs.length; i++) {
    const d = outputs[i]! - (dataset.labels[i] ?? 0);
    sum += d * d;
  }
  return { samples: dataset.size, loss: sum / Math.max(1, outputs.length), accuracy: undefined, confusion: undefined, perClassAccuracy: undefined, outputs };
}

export function scoreClassification(logits: Float32Array, labels: Int32Array, width: number, classes: number): Evaluation {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let lossSum = 0;
  let correct = 0;
  const n = labels.length;
  for (let r = 0; r < n; r++) {
    const o = r * width;
    let best = 0;
    let max = logits[o]!;
    for (let c = 1; c < width; c++) {
      if (logits[o + c]! > logits[o + best]!) best = c;
      max = Math.max(max, logits[o + c]!);
    }
    let sum = 0;
    for (let c = 0; c < width; c++) sum += Math.exp(logits[o + c]! - max);
    const label = labels[r]!;
    lossSum += max + Math.log(sum) - (logits[o + label] ?? max);
    if (best === label) correct++;
    confusion[label]![best]!++;
  }
  const perClassAccuracy = confusion.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[k]! / total;
  });
  return { samples: n, loss: n > 0 ? lossSum / n : Number.NaN, accuracy: n > 0 ? correct / n : undefined, confusion, perClassAccuracy, outputs: logits };
}
