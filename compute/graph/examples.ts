import { GraphBuilder } from './builder';
import type { Graph } from './types';

/** Starter graphs: templates for the editor, fixtures for tests and the validation benchmark. */

/** Multi-layer perceptron classifier, e.g. 784-256-128-10 for MNIST. */
export function mlpClassifier(inputSize = 784, hidden: readonly number[] = [256, 128], numClasses = 10, hiddenInit: 'he' | 'glorot' = 'he'): Graph {
  const g = new GraphBuilder();
  let x = g.add('Input', { shape: [inputSize] });
  for (const units of hidden) x = g.then(g.then(x, 'Dense', { units, init: hiddenInit }), 'ReLU');
  const logits = g.then(x, 'Dense', { units: numClasses });
  addClassificationLoss(g, logits);
  return g.build();
}

/** Small LeNet-style CNN over HWC images. */
export function cnnClassifier(imageShape: readonly [number, number, number] = [28, 28, 1], numClasses = 10): Graph {
  const g = new GraphBuilder();
  let x = g.add('Input', { shape: [...imageShape] });
  x = g.then(g.then(x, 'Conv2D', { filters: 16, kernelSize: 3, padding: 'same' }), 'ReLU');
  x = g.then(x, 'MaxPool2D', { poolSize: 2, stride: 2 });
  x = g.then(g.then(x, 'Conv2D', { filters: 32, kernelSize: 3, padding: 'same' }), 'ReLU');
  x = g.then(x, 'MaxPool2D', { poolSize: 2, stride: 2 });
  x = g.then(x, 'Flatten');
  x = g.then(g.then(x, 'Dense', { units: 64, init: 'he' }), 'ReLU');
  addClassificationLoss(g, g.then(x, 'Dense', { units: numClasses }));
  return g.build();
}

/**
 * Deep MLP whose blocks (Dense, BatchNorm, ReLU, Dropout) are joined by residual Add connections.
 * Each block adds 5 nodes; the benchmark uses 9 blocks for a 50-node graph.
 */
export function residualMlp(blocks: number, inputSize = 64, width = 128, numClasses = 10): Graph {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [inputSize] });
  let x = g.then(input, 'Dense', { units: width, init: 'he' });
  for (let i = 0; i < blocks; i++) {
    let y = g.then(x, 'Dense', { units: width, init: 'he' });
    y = g.then(y, 'BatchNorm', { momentum: 0.9 });
    y = g.then(y, 'ReLU');
    y = g.then(y, 'Dropout', { rate: 0.1 });
    const sum = g.add('Add');
    g.connect(x, sum, 'a');
    g.connect(y, sum, 'b');
    x = sum;
  }
  addClassificationLoss(g, g.then(x, 'Dense', { units: numClasses }));
  return g.build();
}

/**
 * ResNet-style CNN: a stem convolution, then blocks of Conv2D, BatchNorm, ReLU, Conv2D joined to
 * their input by Add. With 8 blocks it has 50 nodes.
 */
export function residualCnn(blocks: number, imageShape: readonly [number, number, number] = [32, 32, 3], filters = 16, numClasses = 10): Graph {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [...imageShape] });
  let x = g.then(input, 'Conv2D', { filters, kernelSize: 3, padding: 'same' });
  for (let i = 0; i < blocks; i++) {
    let y = g.then(x, 'Conv2D', { filters, kernelSize: 3, padding: 'same' });
    y = g.then(y, 'BatchNorm');
    y = g.then(y, 'ReLU');
    y = g.then(y, 'Conv2D', { filters, kernelSize: 3, padding: 'same' });
    const sum = g.add('Add');
    g.connect(x, sum, 'a');
    g.connect(y, sum, 'b');
    x = sum;
  }
  x = g.then(x, 'MaxPool2D', { poolSize: 2, stride: 2 });
  x = g.then(x, 'Flatten');
  x = g.then(g.then(x, 'Dense', { units: 64, init: 'he' }), 'ReLU');
  x = g.then(x, 'Dropout', { rate: 0.2 });
  addClassificationLoss(g, g.then(x, 'Dense', { units: numClasses }));
  return g.build();
}

function addClassificationLoss(g: GraphBuilder, logits: string): void {
  const labels = g.add('Labels', { encoding: 'class-index' });
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(logits, loss, 'logits');
  g.connect(labels, loss, 'labels');
}
