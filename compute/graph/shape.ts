import type { Shape } from './types';

/** Number of elements in one example of this shape (1 for a scalar). */
export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How shapes appear in messages people read: `[28, 28, 1]`, `[]` for a scalar. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}
