// The canonical layer: types and codecs every stage may import.
export * from './sse.ts';
export * from './errors.ts';

export * from './types.ts';
export * from './params.ts';
export * from './media.ts';
export * from './usage-field.ts';
