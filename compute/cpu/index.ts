/** Plain-TypeScript reference for every training op: the ground truth the WGSL kernels are checked against. */
export * from './types';
export * from './matmul';
export * from './bias';
export * from './activations';
export * from './softmax';
export * from './losses';
export * from './window-geometry';
export * from './conv2d';
export * from './pool2d';
export * from './batchnorm';
export * from './dropout';
export * from './combine';
export * from './optimizers';
export * from './gradcheck';
