import type { Graph, Shape } from '../graph/types';
import type { Problem } from './problem';
import { layerNamesFor } from './subject';
import type { GraphValidation } from './validate-graph';

/** What the check needs to know of a dataset: its name for the message, its example shape and classes. */
export interface DatasetFacts {
  readonly name: string;
  readonly featureShape: Shape;
  /** Null or 0 for a dataset without class labels (regression, or no label column). */
  readonly numClasses: number | null;
}

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);
const shown = (shape: Shape) => `[${shape.join(', ')}]`;

/**
 * Checks a valid graph against the dataset it is about to train on, before any run starts: the
 * examples must carry as many values as the Input takes (the trainer reshapes, so [64] feeds
 * [8, 8, 1]), and a classifier's logits must have one unit per class. Parts of the graph whose
 * shapes are unknown (already reported by validateGraph) are left alone.
 */
export function checkDatasetFit(
  graph: Graph,
  validation: Pick<GraphValidation, 'nodeOutputShapes' | 'edgeShapes'>,
  dataset: DatasetFacts,
  options: { labels?: ReadonlyMap<string, string> } = {},
): Problem[] {
  const problems: Problem[] = [];
  const names = layerNamesFor(graph, options.labels);
  const inputs = graph.nodes.filter((n) => n.type === 'Input');
  const features = size(dataset.featureShape);
  if (inputs.length === 1) {
    const input = inputs[0]!;
    const shape = Object.values(validation.nodeOutputShapes.get(input.id) ?? {})[0];
    if (shape && size(shape) !== features) {
      problems.push({
        code: 'DATASET_FEATURES_MISMATCH',
        nodeId: input.id,
        param: 'shape',
        message: `${names.get(input.id)}: takes ${shown(shape)} (${size(shape)} values) but ${dataset.name} has ${features} feature${features === 1 ? '' : 's'} per example ${shown(dataset.featureShape)}; set its shape to ${shown(dataset.featureShape)} or choose another dataset`,
      });
    }
  }

  const classes = dataset.numClasses ?? 0;
  if (classes > 0) {
    for (const loss of graph.nodes.filter((n) => n.type === 'SoftmaxCrossEntropy')) {
      const edge = graph.edges.find((e) => e.target === loss.id && e.targetHandle === 'logits');
      const shape = edge ? validation.edgeShapes.get(edge.id) : undefined;
      const units = shape?.[shape.length - 1];
      if (!edge || units === undefined || units === classes) continue;
      const source = graph.nodes.find((n) => n.id === edge.source);
      problems.push({
        code: 'DATASET_CLASSES_MISMATCH',
        nodeId: edge.source,
        ...(source?.type === 'Dense' ? { param: 'units' } : {}),
        message: `${names.get(edge.source) ?? 'The layer before the loss'}: feeds the loss ${units} logits but ${dataset.name} has ${classes} classes; ${source?.type === 'Dense' ? `set its units to ${classes}` : `give it ${classes} outputs`} or choose another dataset`,
      });
    }
  }
  return problems;
}
