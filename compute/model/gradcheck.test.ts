import { describe, expect, it } from 'vitest';
import { maxRelativeError, numericGradient, randomValues, seededRandom } from '../cpu/gradcheck';
import { backward } from './backward';
import type { Feed } from './feed';
import { forward } from './forward';
import { initParameters } from './init';
import { buildModelPlan } from './plan';
import type { ParameterSet } from './tensor';
import { everyLayerGraph } from './testing/every-layer-graph';

function tinyFeed(batch: number, seed: number): Feed {
  const rand = seededRandom(seed);
  return {
    batch,
    inputs: { image: randomValues(rand, batch * 6 * 6 * 2) },
    labels: {
      classes: Array.from({ length: batch }, (_, i) => i % 4),
      targets: randomValues(rand, batch * 4, 0, 1),
    },
  };
}

function check(training: boolean) {
  const plan = buildModelPlan(everyLayerGraph());
  const params = initParameters(plan, { seed: 11, dtype: 'float64' });
  // Non-trivial BatchNorm state, so inference mode is not an identity map.
  params.get('batchnorm1.running_mean')!.data.set([0.1, -0.2, 0.3]);
  params.get('batchnorm1.running_var')!.data.set([0.5, 2, 1.5]);
  params.get('batchnorm1.weight')!.data.set([1.2, 0.7, -0.9]);
  const feed = tinyFeed(3, 21);
  const options = { training, seed: 5 };
  const loss = (p: ParameterSet) => forward(plan, p, feed, options).loss!;
  const grads = backward(forward(plan, params, feed, options), params);

  const worst: Record<string, number> = {};
  for (const spec of plan.params) {
    if (!spec.trainable) continue;
    const tensor = params.get(spec.name)!;
    const numeric = numericGradient((values) => {
      const original = tensor.data.slice();
      tensor.data.set(values);
      const l = loss(params);
      tensor.data.set(original);
      return l;
    }, tensor.data);
    worst[spec.name] = maxRelativeError(grads.params.get(spec.name)!, numeric);
  }
  const features = feed.inputs['image']!;
  const inputNumeric = numericGradient((values) => forward(plan, params, { ...feed, inputs: { image: values } }, options).loss!, features);
  worst['image'] = maxRelativeError(grads.inputs.get('image')!, inputNumeric);
  return { plan, grads, worst };
}

describe('whole-graph backward', () => {
  it('matches finite differences for every parameter and the input in training mode', () => {
    const { plan, grads, worst } = check(true);
    const types = new Set(plan.nodes.map((n) => n.type));
    expect(types.size).toBe(20); // every layer in the catalog
    expect(Object.keys(worst)).toHaveLength(plan.params.filter((p) => p.trainable).length + 1);
    for (const [name, err] of Object.entries(worst)) expect({ name, err }).toEqual({ name, err: expect.closeTo(0, 6) });
    // Gradients are not trivially zero, except conv2d1.bias: BatchNorm right after it subtracts the
    // batch mean, so a per-channel bias cannot change the loss and its true gradient is 0.
    const zero = [...grads.params].filter(([, g]) => !g.some((v) => Math.abs(v) > 1e-6)).map(([name]) => name);
    expect(zero).toEqual(['conv2d1.bias']);
  });

  it('matches finite differences in inference mode (running statistics, no dropout)', () => {
    const { worst } = check(false);
    for (const [name, err] of Object.entries(worst)) expect({ name, err }).toEqual({ name, err: expect.closeTo(0, 6) });
  });
});
