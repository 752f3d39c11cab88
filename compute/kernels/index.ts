/** WGSL kernels with metadata, and the registry that selects them per op and adapter. */
export * from './types';
export * from './caps';
export * from './grid';
export * from './choose-variant';
export * from './registry';
export * from './matmul-params';
export * from './matmul-tiled';
export * from './matmul-blocked';
export * from './activation';
export * from './activation-wgsl';
export * from './elementwise';
export * from './reductions';
export * from './softmax';
export * from './im2col';
export * from './pool';
export * from './optimizers';
export * from './batchnorm';
