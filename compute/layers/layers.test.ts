import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Shape } from '../graph/types';
import { LAYERS, LAYER_CATEGORIES, getLayer, layersInCategory } from './catalog';
import { parseLayerParams } from './parse-params';
import type { ShapeRuleResult } from './types';

/** Runs a layer's shape rule with params parsed from `raw` (defaults filled in). */
function infer(type: string, inputs: Record<string, Shape>, raw: Record<string, unknown> = {}): ShapeRuleResult {
  const spec = getLayer(type)!;
  const parsed = parseLayerParams(spec, raw);
  if (!parsed.ok) throw new Error(parsed.issues.map((issue) => issue.message).join('; '));
  return spec.inferShapes(inputs, parsed.params);
}

function out(type: string, inputs: Record<string, Shape>, raw: Record<string, unknown> = {}): Shape | undefined {
  const result = infer(type, inputs, raw);
  return result.ok ? result.outputs.out : undefined;
}

function errorOf(type: string, inputs: Record<string, Shape>, raw: Record<string, unknown> = {}) {
  const result = infer(type, inputs, raw);
  return result.ok ? undefined : result.error;
}

describe('layer catalog', () => {
  it('has every layer the editor offers, each in a palette category', () => {
    expect([...LAYERS.keys()].sort()).toEqual(
      [
        'Input', 'Labels', 'Dense', 'Conv2D', 'MaxPool2D', 'AvgPool2D', 'Flatten', 'Reshape', 'ReLU', 'LeakyReLU', 'Sigmoid', 'Tanh',
        'GELU', 'Softmax', 'Dropout', 'BatchNorm', 'Add', 'Concat', 'SoftmaxCrossEntropy', 'MSE',
      ].sort(),
    );
    const categorised = LAYER_CATEGORIES.flatMap((category) => layersInCategory(category).map((spec) => spec.type));
    expect(categorised.sort()).toEqual([...LAYERS.keys()].sort());
  });

  it('gives every param a default, a description and a lower bound on numbers (forms are rendered from these)', () => {
    for (const spec of LAYERS.values()) {
      expect(parseLayerParams(spec, {}).ok, spec.type).toBe(true);
      for (const [name, field] of Object.entries(spec.params.shape)) {
        expect(field.description, `${spec.type}.${name}`).toMatch(/\w/);
        const inner = field instanceof z.ZodDefault ? field.unwrap() : field;
        if (inner instanceof z.ZodNumber) expect(Number.isFinite(inner.minValue), `${spec.type}.${name}`).toBe(true);
      }
    }
  });

  it('uses the labels port kind only for loss targets and Labels output', () => {
    const labelPorts = [...LAYERS.values()].flatMap((spec) =>
      [...spec.inputs, ...spec.outputs].filter((port) => port.kind === 'labels').map((port) => `${spec.type}.${port.name}`),
    );
    expect(labelPorts.sort()).toEqual(['Labels.out', 'MSE.targets', 'SoftmaxCrossEntropy.labels']);
  });
});

describe('shape rules', () => {
  it('Input and Labels', () => {
    expect(out('Input', {}, { shape: [28, 28, 1] })).toEqual([28, 28, 1]);
    expect(out('Labels', {})).toEqual([]);
    expect(out('Labels', {}, { encoding: 'values', shape: [3] })).toEqual([3]);
  });

  it('Dense maps the last axis to units', () => {
    expect(out('Dense', { in: [784] }, { units: 128 })).toEqual([128]);
    expect(out('Dense', { in: [10, 16] }, { units: 4 })).toEqual([10, 4]);
    expect(errorOf('Dense', { in: [] })?.message).toBe('Dense needs an input with at least one dimension, got a scalar []');
  });

  it('Conv2D with valid and same padding', () => {
    expect(out('Conv2D', { in: [28, 28, 1] }, { filters: 8, kernelSize: 3 })).toEqual([26, 26, 8]);
    expect(out('Conv2D', { in: [28, 28, 1] }, { filters: 8, kernelSize: 3, padding: 'same' })).toEqual([28, 28, 8]);
    expect(out('Conv2D', { in: [28, 28, 1] }, { filters: 8, kernelSize: 3, stride: 2, padding: 'same' })).toEqual([14, 14, 8]);
    expect(out('Conv2D', { in: [27, 20, 3] }, { filters: 4, kernelSize: 5, stride: 3 })).toEqual([8, 6, 4]);
    expect(errorOf('Conv2D', { in: [784] })).toEqual({
      code: 'SHAPE_MISMATCH',
      port: 'in',
      message: 'Conv2D expects an image [height, width, channels], got [784]',
    });
  });

  it('pooling keeps channels and rejects windows larger than the image', () => {
    expect(out('MaxPool2D', { in: [28, 28, 16] })).toEqual([14, 14, 16]);
    expect(out('AvgPool2D', { in: [7, 7, 32] }, { poolSize: 3, stride: 1 })).toEqual([5, 5, 32]);
    expect(out('MaxPool2D', { in: [7, 7, 4] }, { padding: 'same' })).toEqual([4, 4, 4]);
    expect(errorOf('MaxPool2D', { in: [1, 1, 8] })?.message).toBe(
      "MaxPool2D poolSize 2 is larger than its input [1, 1, 8]; use a smaller poolSize or padding 'same'",
    );
  });

  it('Flatten and Reshape', () => {
    expect(out('Flatten', { in: [7, 7, 32] })).toEqual([1568]);
    expect(out('Reshape', { in: [784] }, { targetShape: [28, 28, 1] })).toEqual([28, 28, 1]);
    expect(out('Reshape', { in: [784] }, { targetShape: [-1, 28] })).toEqual([28, 28]);
    expect(errorOf('Reshape', { in: [784] }, { targetShape: [10, 10] })?.message).toBe(
      'Reshape cannot turn [784] (784 elements) into [10, 10] (100 elements)',
    );
    expect(errorOf('Reshape', { in: [784] }, { targetShape: [-1, 5] })?.message).toBe(
      'Reshape cannot turn [784] (784 elements) into [-1, 5]: 784 is not divisible by 5',
    );
    expect(errorOf('Reshape', { in: [784] }, { targetShape: [-1, -1] })).toMatchObject({ code: 'INVALID_PARAM', param: 'targetShape' });
    expect(errorOf('Reshape', { in: [784] }, { targetShape: [0, 784] })).toEqual({
      code: 'INVALID_PARAM',
      param: 'targetShape',
      message: 'targetShape[0] must be a positive size or -1 (got 0)',
    });
  });

  it('activations, Dropout and BatchNorm keep the shape', () => {
    for (const type of ['ReLU', 'LeakyReLU', 'Sigmoid', 'Tanh', 'GELU', 'Softmax', 'Dropout', 'BatchNorm']) {
      expect(out(type, { in: [5, 5, 3] }), type).toEqual([5, 5, 3]);
    }
    expect(errorOf('BatchNorm', { in: [] })?.code).toBe('SHAPE_MISMATCH');
  });

  it('Add needs equal shapes', () => {
    expect(out('Add', { a: [4, 4, 8], b: [4, 4, 8] })).toEqual([4, 4, 8]);
    expect(errorOf('Add', { a: [64], b: [32] })).toEqual({
      code: 'SHAPE_MISMATCH',
      port: 'b',
      message: 'Add expects both inputs to have the same shape, got [64] and [32]',
    });
  });

  it('Concat joins along an axis, negative counting from the end', () => {
    expect(out('Concat', { a: [4, 4, 8], b: [4, 4, 3] })).toEqual([4, 4, 11]);
    expect(out('Concat', { a: [2, 4], b: [3, 4] }, { axis: 0 })).toEqual([5, 4]);
    expect(out('Concat', { a: [2, 4], b: [3, 4] }, { axis: -2 })).toEqual([5, 4]);
    expect(errorOf('Concat', { a: [2, 4], b: [2, 5] }, { axis: 0 })?.message).toBe(
      'Concat on axis 0 expects all other dimensions to match, got [2, 4] and [2, 5]',
    );
    expect(errorOf('Concat', { a: [2, 4], b: [8] })?.message).toBe('Concat expects inputs of the same rank, got [2, 4] and [8]');
  });

  it('SoftmaxCrossEntropy takes [numClasses] logits and class-index labels', () => {
    expect(infer('SoftmaxCrossEntropy', { logits: [10], labels: [] })).toEqual({ ok: true, outputs: {} });
    expect(errorOf('SoftmaxCrossEntropy', { logits: [7, 7, 10], labels: [] })).toMatchObject({ code: 'SHAPE_MISMATCH', port: 'logits' });
    expect(errorOf('SoftmaxCrossEntropy', { logits: [1], labels: [] })?.message).toBe(
      'SoftmaxCrossEntropy needs at least 2 classes, got logits [1]',
    );
    expect(errorOf('SoftmaxCrossEntropy', { logits: [10], labels: [10] })).toMatchObject({ code: 'SHAPE_MISMATCH', port: 'labels' });
  });

  it('MSE needs predictions and targets of one shape', () => {
    expect(infer('MSE', { predictions: [3], targets: [3] }).ok).toBe(true);
    expect(errorOf('MSE', { predictions: [3], targets: [1] })?.message).toBe(
      'MSE expects predictions and targets to have the same shape, got [3] and [1]',
    );
  });
});

describe('param validation messages', () => {
  const messages = (type: string, raw: unknown) => {
    const parsed = parseLayerParams(getLayer(type)!, raw);
    return parsed.ok ? [] : parsed.issues.map((issue) => `${issue.param}: ${issue.message}`);
  };

  it('explains bounds, types and choices in plain words', () => {
    expect(messages('Dense', { units: 0 })).toEqual(['units: units must be at least 1 (got 0)']);
    expect(messages('Dense', { units: 2.5 })).toEqual(['units: units must be a whole number (got 2.5)']);
    expect(messages('Dense', { units: 1e9 })).toEqual(['units: units must be at most 65536 (got 1000000000)']);
    expect(messages('Dense', { useBias: 'yes' })).toEqual(["useBias: useBias must be true or false (got 'yes')"]);
    expect(messages('Dropout', { rate: -0.1 })).toEqual(['rate: rate must be at least 0 (got -0.1)']);
    expect(messages('BatchNorm', { epsilon: 0 })).toEqual(['epsilon: epsilon must be greater than 0 (got 0)']);
    expect(messages('Input', { shape: [] })).toEqual(['shape: shape must have at least 1 entries (got 0)']);
    expect(messages('Input', { shape: [28, 0] })).toEqual(['shape: shape[1] must be at least 1 (got 0)']);
    expect(messages('Labels', { encoding: 'onehot' })).toEqual(["encoding: encoding must be one of 'class-index', 'values' (got 'onehot')"]);
  });

  it('rejects a params value that is not an object', () => {
    const parsed = parseLayerParams(getLayer('Dense')!, 'units=3');
    expect(parsed).toEqual({ ok: false, issues: [{ message: 'Parameters must be an object of named values' }] });
  });

  it('treats missing params as all defaults', () => {
    expect(parseLayerParams(getLayer('Conv2D')!, undefined)).toEqual({
      ok: true,
      params: { filters: 32, kernelSize: 3, stride: 1, padding: 'valid', useBias: true, init: 'he' },
    });
  });
});
