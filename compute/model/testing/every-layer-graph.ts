import { GraphBuilder } from '../../graph/builder';
import type { Graph } from '../../graph/types';

/** A tiny graph with every layer kind the catalog has, two branches, two losses. */
export function everyLayerGraph(): Graph {
  const g = new GraphBuilder();
  const image = g.add('Input', { shape: [6, 6, 2] }, 'image');
  let a = g.then(image, 'Conv2D', { filters: 3, kernelSize: 3, padding: 'same' });
  a = g.then(a, 'BatchNorm', { momentum: 0.8 });
  a = g.then(a, 'LeakyReLU', { alpha: 0.1 });
  a = g.then(a, 'MaxPool2D', { poolSize: 2, stride: 2 }); // [3, 3, 3]
  let b = g.then(image, 'AvgPool2D', { poolSize: 3, stride: 2, padding: 'same' }); // [3, 3, 2]
  b = g.then(b, 'Conv2D', { filters: 3, kernelSize: 1, init: 'glorot' });
  b = g.then(b, 'GELU');
  const sum = g.add('Add');
  g.connect(a, sum, 'a');
  g.connect(b, sum, 'b');
  const joined = g.add('Concat', { axis: -1 });
  g.connect(sum, joined, 'a');
  g.connect(g.then(b, 'Sigmoid'), joined, 'b'); // [3, 3, 6]
  let x = g.then(joined, 'Flatten');
  x = g.then(x, 'Dropout', { rate: 0.3 });
  x = g.then(g.then(x, 'Dense', { units: 8 }), 'Tanh');
  x = g.then(x, 'Reshape', { targetShape: [2, -1] }); // [2, 4]
  x = g.then(g.then(x, 'Dense', { units: 3, init: 'he' }), 'ReLU'); // Dense on a rank-2 example
  x = g.then(x, 'Flatten');
  const logits = g.then(x, 'Dense', { units: 4, useBias: false });
  const classes = g.add('Labels', { encoding: 'class-index' }, 'classes');
  const ce = g.add('SoftmaxCrossEntropy');
  g.connect(logits, ce, 'logits');
  g.connect(classes, ce, 'labels');
  const targets = g.add('Labels', { encoding: 'values', shape: [4] }, 'targets');
  const mse = g.add('MSE');
  g.connect(g.then(logits, 'Softmax'), mse, 'predictions');
  g.connect(targets, mse, 'targets');
  return g.build();
}
