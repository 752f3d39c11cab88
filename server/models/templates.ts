import { autoLayout } from '../../collab/doc';
import { cnnClassifier, mlpClassifier, residualMlp } from '../../compute/graph/examples';
import type { Graph } from '../../compute/graph';
import type { ModelDoc } from '../db/collections';

export const TEMPLATE_IDS = ['mlp', 'cnn', 'residual'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

interface Template {
  id: TemplateId;
  name: string;
  description: string;
  /** The built-in dataset a model made from it trains on out of the box. */
  datasetId: string;
  build(): Graph;
}

/**
 * Starter graphs sized for the built-in 8x8 digits data (64 features, 10 classes), which a model
 * made from them is attached to, so Train works with no other step; a new Input shape and a new
 * units count adapt them to anything else. The CNN reads the same 64 values as an 8x8 image.
 * The MLP's hidden layers start from Glorot weights: He's larger ones overfit small tables (iris:
 * 90.5% mean validation accuracy over 20 seeded splits against 93.3% with Glorot, the same on
 * digits: 97.1% and 97.2%), see components/training/small-table-defaults.test.ts.
 */
export const MODEL_TEMPLATES: readonly Template[] = [
  { id: 'mlp', name: 'MLP classifier', description: 'Input [64] → Dense 64 → Dense 32 → 10 classes; trains on the built-in 8x8 digits', datasetId: 'builtin:digits', build: () => mlpClassifier(64, [64, 32], 10, 'glorot') },
  { id: 'cnn', name: 'Small CNN', description: 'Input [8, 8, 1] → two Conv2D + MaxPool blocks → Dense → 10 classes; trains on the built-in 8x8 digits', datasetId: 'builtin:digits', build: () => cnnClassifier([8, 8, 1], 10) },
  { id: 'residual', name: 'Residual block', description: 'Input [64] → Dense → two residual blocks (Dense, BatchNorm, ReLU, Dropout, Add) → 10 classes; trains on the built-in 8x8 digits', datasetId: 'builtin:digits', build: () => residualMlp(2, 64, 64, 10) },
];

export function findTemplate(id: TemplateId): Template {
  const template = MODEL_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new Error(`Unknown model template ${id}`);
  return template;
}

/** Canvas positions for a graph that has none: one column per depth. */
export function layoutFor(graph: Graph): ModelDoc['layout'] {
  return Object.fromEntries([...autoLayout(graph)].map(([id, xy]) => [id, { x: xy.x, y: xy.y }]));
}
