// Public entry point of compute/. Each area also has its own index for narrower imports.
export * from './graph';
export * from './layers';
export * from './validate';
export * from './data';
export * from './model';
export * from './export';
export * from './model-facts';
