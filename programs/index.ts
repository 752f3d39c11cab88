// Public entry point of programs/: the token, escrow and node-registry programs and their state.
export * from './units';
export * from './accounts';
export * from './rules';
export * from './outcome';
export * from './instructions';
export * from './state';
export * from './apply';
export * from './snapshot';
export * from './views';
export * from './invariants';
