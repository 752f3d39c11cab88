import type { Values } from '../cpu/types';
import type { Batch } from '../data/batch';
import { ModelError } from './model-error';
import type { ModelPlan } from './plan';
import { sizeOf } from './tensor';

/** One batch of data for a plan, keyed by the ids of its Input and Labels nodes. */
export interface Feed {
  readonly batch: number;
  /** Features per Input node: batch × shape values, row-major (HWC images). */
  readonly inputs: Readonly<Record<string, Values>>;
  /** Targets per Labels node (class indices or values). Omit for inference: losses are then skipped. */
  readonly labels?: Readonly<Record<string, Values>>;
}

/** The common case of one Input and at most one Labels layer fed from a dataset batch. */
export function feedFromBatch(plan: ModelPlan, batch: Pick<Batch, 'size' | 'features' | 'labels'>): Feed {
  const input = plan.inputs[0];
  if (plan.inputs.length !== 1 || !input) {
    throw new ModelError('BAD_FEED', `A dataset batch can feed a model with exactly one Input layer; this one has ${plan.inputs.length}`);
  }
  const labels = plan.labels[0];
  if (plan.labels.length > 1) throw new ModelError('BAD_FEED', `A dataset batch can feed one Labels layer; this model has ${plan.labels.length}`);
  return {
    batch: batch.size,
    inputs: { [input.id]: batch.features },
    ...(labels ? { labels: { [labels.id]: batch.labels } } : {}),
  };
}

/** Checks every array a pass will read, so a wrong-sized batch fails with the node it belongs to. */
export function checkFeed(plan: ModelPlan, feed: Feed): void {
  if (!Number.isInteger(feed.batch) || feed.batch < 1) throw new ModelError('BAD_FEED', `batch must be a whole number of at least 1 (got ${feed.batch})`);
  for (const node of plan.inputs) {
    const values = feed.inputs[node.id];
    if (!values) throw new ModelError('MISSING_FEED', `No features were given for Input '${node.id}'`, node.id);
    const expected = feed.batch * sizeOf(node.outputShape!);
    if (values.length !== expected) {
      throw new ModelError('BAD_FEED', `Input '${node.id}' got ${values.length} values; ${feed.batch} examples of shape [${node.outputShape!.join(', ')}] need ${expected}`, node.id);
    }
  }
  if (!feed.labels) return;
  for (const node of plan.labels) {
    const values = feed.labels[node.id];
    if (!values) continue;
    const perExample = node.params['encoding'] === 'class-index' ? 1 : sizeOf(node.outputShape!);
    if (values.length !== feed.batch * perExample) {
      throw new ModelError('BAD_FEED', `Labels '${node.id}' got ${values.length} values, expected ${feed.batch * perExample} for ${feed.batch} examples`, node.id);
    }
  }
}
