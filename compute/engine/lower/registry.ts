import { activationLowering, softmaxLowering } from './activation';
import { batchNormLowering } from './batchnorm';
import { conv2dLowering } from './conv2d';
import { denseLowering } from './dense';
import { dropoutLowering } from './dropout';
import { mseLowering, softmaxCrossEntropyLowering } from './losses';
import { addLowering, concatLowering } from './merge';
import { avgPoolLowering, maxPoolLowering } from './pool';
import { reshapeLowering } from './reshape';
import type { LayerLowering } from './types';

/** GPU lowering of every layer type the catalog defines; Input and Labels are fed by the host. */
export const LOWERINGS: ReadonlyMap<string, LayerLowering> = new Map<string, LayerLowering>([
  ['Dense', denseLowering],
  ['Conv2D', conv2dLowering],
  ['MaxPool2D', maxPoolLowering],
  ['AvgPool2D', avgPoolLowering],
  ['Flatten', reshapeLowering],
  ['Reshape', reshapeLowering],
  ['Dropout', dropoutLowering],
  ['ReLU', activationLowering],
  ['LeakyReLU', activationLowering],
  ['Sigmoid', activationLowering],
  ['Tanh', activationLowering],
  ['GELU', activationLowering],
  ['Softmax', softmaxLowering],
  ['BatchNorm', batchNormLowering],
  ['Add', addLowering],
  ['Concat', concatLowering],
  ['SoftmaxCrossEntropy', softmaxCrossEntropyLowering],
  ['MSE', mseLowering],
]);
