import type { GpuEngine } from '../engine/gpu-engine';
import { loadCheckpoint, saveCheckpoint } from '../export/safetensors/checkpoint';
import { SafetensorsError } from '../export/safetensors/safetensors-error';
import { loadWeights, saveWeights } from '../export/safetensors/weights';
import { TrainError } from './train-error';

/**
 * Weights and checkpoints of a GPU engine in compute/export's safetensors formats: weights files
 * hold the parameters (named like compute/model), checkpoints add the optimizer slots and step.
 */
export async function engineWeights(engine: GpuEngine, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  return saveWeights(await engine.getParameters(), metadata);
}

export async function engineCheckpoint(engine: GpuEngine, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const [params, optimizer] = await Promise.all([engine.getParameters(), engine.getOptimizerState()]);
  return saveCheckpoint({ params, optimizer }, metadata);
}

/** Loads a weights file into the engine (every parameter must match the model). */
export function restoreWeights(engine: GpuEngine, bytes: Uint8Array): void {
  engine.setParameters(wrap(() => loadWeights(bytes, { plan: engine.plan.model })));
}

/** Loads a checkpoint: weights, optimizer slots and the step count (so the LR schedule resumes). */
export function restoreCheckpoint(engine: GpuEngine, bytes: Uint8Array): { step: number } {
  const checkpoint = wrap(() => loadCheckpoint(bytes, { plan: engine.plan.model }));
  engine.setParameters(checkpoint.params);
  engine.setOptimizerState(checkpoint.optimizer);
  return { step: checkpoint.optimizer.step };
}

function wrap<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof SafetensorsError) throw new TrainError('BAD_CHECKPOINT', e.message, e.tensor);
    throw e;
  }
}
