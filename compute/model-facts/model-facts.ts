import { layerLabels } from '../graph/layer-labels';
import { shapeSize } from '../graph/shape';
import type { Graph } from '../graph/types';
import { buildModelPlan } from '../model/plan';
import { validateGraph } from '../validate/validate-graph';
import { COST_RULES } from './cost-rules';
import type { LayerFacts, ModelFactsResult, ModelTotals } from './types';

/** The engine stores parameters, optimizer state and activations as float32. */
export const BYTES_PER_VALUE = 4;
/** Adam and AdamW keep two moments (m, v) per trainable parameter. */
export const ADAM_STATE_COPIES = 2;
/** Forward + backward relative to forward: the backward pass of a layer with weights computes two gradients. */
export const TRAINING_FLOPS_WITH_WEIGHTS = 3;
export const TRAINING_FLOPS_WITHOUT_WEIGHTS = 2;

export interface ModelFactsOptions {
  /** Display names by node id (e.g. from layerLabels with the editor's custom labels); defaults to "Dense 2" style names. */
  readonly labels?: ReadonlyMap<string, string>;
}

/**
 * Parameters, FLOPs and memory of a graph, per layer and in total, or the validator's problems when
 * the graph does not validate (sizes are only meaningful once every shape is known). Parameter counts
 * come from the same parameter list the trainer allocates, so they cannot drift from the real model.
 * Cheap enough for every edit: one validation pass, one plan and a walk over the nodes.
 */
export function modelFacts(graph: Graph, options: ModelFactsOptions = {}): ModelFactsResult {
  const validation = validateGraph(graph);
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const plan = buildModelPlan(graph);
  const labels = options.labels ?? layerLabels(graph.nodes);

  const trainable = new Map<string, number>();
  const frozen = new Map<string, number>();
  for (const spec of plan.params) {
    const counts = spec.trainable ? trainable : frozen;
    counts.set(spec.nodeId, (counts.get(spec.nodeId) ?? 0) + shapeSize(spec.shape));
  }

  const layers: LayerFacts[] = [];
  for (const node of plan.nodes) {
    const rule = COST_RULES[node.type];
    if (!rule) throw new Error(`No model-facts cost rule for layer type '${node.type}'; add one to compute/model-facts/cost-rules.ts`);
    const trainableParams = trainable.get(node.id) ?? 0;
    const nonTrainableParams = frozen.get(node.id) ?? 0;
    const params = trainableParams + nonTrainableParams;
    const forwardFlops = rule.forwardFlops(node);
    const multiplier = trainableParams > 0 ? TRAINING_FLOPS_WITH_WEIGHTS : TRAINING_FLOPS_WITHOUT_WEIGHTS;
    layers.push({
      nodeId: node.id,
      label: labels.get(node.id) ?? node.id,
      type: node.type,
      outputShape: node.outputShape,
      trainableParams,
      nonTrainableParams,
      params,
      forwardFlops,
      trainingFlops: multiplier * forwardFlops,
      activationBytes: rule.storesOutput && node.outputShape ? shapeSize(node.outputShape) * BYTES_PER_VALUE : 0,
      weightBytes: params * BYTES_PER_VALUE,
      adamStateBytes: ADAM_STATE_COPIES * trainableParams * BYTES_PER_VALUE,
    });
  }
  return { ok: true, layers, totals: sumLayers(layers) };
}

function sumLayers(layers: readonly LayerFacts[]): ModelTotals {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  let forwardFlops = 0;
  let trainingFlops = 0;
  let activationBytes = 0;
  let adamStateBytes = 0;
  for (const layer of layers) {
    trainableParams += layer.trainableParams;
    nonTrainableParams += layer.nonTrainableParams;
    forwardFlops += layer.forwardFlops;
    trainingFlops += layer.trainingFlops;
    activationBytes += layer.activationBytes;
    adamStateBytes += layer.adamStateBytes;
  }
  const params = trainableParams + nonTrainableParams;
  const weightBytes = params * BYTES_PER_VALUE;
  return {
    trainableParams,
    nonTrainableParams,
    params,
    forwardFlops,
    trainingFlops,
    activationBytes,
    weightBytes,
    adamStateBytes,
    weightAndAdamBytes: weightBytes + adamStateBytes,
  };
}
