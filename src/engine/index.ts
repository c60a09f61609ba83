export * from './linalg.ts';
export * from './activations.ts';
export * from './types.ts';
export * from './rnn.ts';
export * from './parse-params.ts';
