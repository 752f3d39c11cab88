import { exportOnnx, exportPyTorch, loadWeights, readModelMetadata, readSafetensors, type ModelMetadata } from '@/compute/export';
import type { Graph } from '@/compute/graph/types';
import { buildModelPlan } from '@/compute/model';
import { parseTrainConfig } from '@/compute/train';

export type ResultFormat = 'onnx' | 'pytorch';

export interface ResultFile {
  readonly name: string;
  readonly mime: string;
  readonly bytes: Uint8Array;
}

/** A job's result as the page has it: the graph it trained, the saved run's weights file and its training config. */
export interface JobResult {
  readonly graph: Graph;
  /** The run's safetensors file: the weights and, under __metadata__, the fitted preprocessing and class names. */
  readonly weights: Uint8Array;
  readonly config: Record<string, unknown>;
}

function modelMetadataOf(weights: Uint8Array): ModelMetadata {
  const meta = readModelMetadata(readSafetensors(weights).metadata);
  // Every checkpoint of a job carries it (job-spec.ts checkpointMetadata); a file without it cannot take raw rows.
  if (!meta) throw new Error('The result’s weights carry no preprocessing metadata, so the export could not take raw rows.');
  return meta;
}

/**
 * The files a finished network job downloads as, built in the page from its result (compute/export
 * is pure, so the server never builds them): ONNX with the preprocessing in front of the layers
 * (raw rows in, logits and probabilities out), or the PyTorch module with its training script. The
 * weights are checked against the graph first, as loading a run in the tab does.
 */
export function jobResultFiles(result: JobResult, format: ResultFormat): ResultFile[] {
  const plan = buildModelPlan(result.graph);
  const params = loadWeights(result.weights, { plan });
  const model = modelMetadataOf(result.weights);
  if (format === 'onnx') return [{ name: 'model.onnx', mime: 'application/octet-stream', bytes: exportOnnx(plan, params, { model }) }];
  const config = parseTrainConfig(result.config);
  const code = exportPyTorch(plan, { optimizer: config.optimizer, schedule: config.schedule, epochs: config.epochs, batchSize: config.batchSize, model });
  const encoder = new TextEncoder();
  return Object.entries(code).map(([name, text]) => ({ name, mime: 'text/x-python', bytes: encoder.encode(text) }));
}
