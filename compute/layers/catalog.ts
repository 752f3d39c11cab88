import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from './activations';
import { AvgPool2D, Conv2D, MaxPool2D } from './conv';
import { Dense, Dropout, Flatten, Reshape } from './core';
import { Input, Labels } from './io';
import { MSE, SoftmaxCrossEntropy } from './losses';
import { Add, Concat } from './merge';
import { BatchNorm } from './normalization';
import type { LayerCategory, LayerSpec } from './types';

export type LayerCatalog = ReadonlyMap<string, LayerSpec>;

const ALL: readonly LayerSpec[] = [
  Input,
  Labels,
  Dense,
  Flatten,
  Reshape,
  Dropout,
  Conv2D,
  MaxPool2D,
  AvgPool2D,
  ReLU,
  LeakyReLU,
  Sigmoid,
  Tanh,
  GELU,
  Softmax,
  BatchNorm,
  Add,
  Concat,
  SoftmaxCrossEntropy,
  MSE,
];

/** Every layer the editor offers and the engine can train, keyed by node type. */
export const LAYERS: LayerCatalog = new Map(ALL.map((spec) => [spec.type, spec]));

export function getLayer(type: string): LayerSpec | undefined {
  return LAYERS.get(type);
}

/** Palette order for the editor's sidebar. */
export const LAYER_CATEGORIES: readonly LayerCategory[] = ['io', 'core', 'conv', 'activation', 'normalization', 'merge', 'loss'];

export function layersInCategory(category: LayerCategory): LayerSpec[] {
  return ALL.filter((spec) => spec.category === category);
}
