import { activationOp, softmaxOp } from './activation';
import { batchNormOp } from './batchnorm';
import { conv2dOp } from './conv2d';
import { denseOp } from './dense';
import { dropoutOp } from './dropout';
import { mseOp, softmaxCrossEntropyOp } from './losses';
import { addOp, concatOp } from './merge';
import { avgPool2dOp, maxPool2dOp } from './pool2d';
import { reshapeOp } from './reshape';
import type { LayerOp } from './types';

/** CPU implementation of every trainable layer type; Input and Labels are fed by the executor. */
export const CPU_OPS: ReadonlyMap<string, LayerOp> = new Map<string, LayerOp>([
  ['Dense', denseOp],
  ['Conv2D', conv2dOp],
  ['MaxPool2D', maxPool2dOp],
  ['AvgPool2D', avgPool2dOp],
  ['Flatten', reshapeOp],
  ['Reshape', reshapeOp],
  ['Dropout', dropoutOp],
  ['ReLU', activationOp('relu')],
  ['LeakyReLU', activationOp('leaky_relu')],
  ['Sigmoid', activationOp('sigmoid')],
  ['Tanh', activationOp('tanh')],
  ['GELU', activationOp('gelu')],
  ['Softmax', softmaxOp],
  ['BatchNorm', batchNormOp],
  ['Add', addOp],
  ['Concat', concatOp],
  ['SoftmaxCrossEntropy', softmaxCrossEntropyOp],
  ['MSE', mseOp],
]);
