import type { z } from 'zod';
import type { Shape } from '../graph/types';

/**
 * 'labels' ports carry training targets from a Labels layer. Keeping them a separate kind lets the
 * validator refuse, say, targets wired into a Dense layer, which would otherwise "train" on answers.
 */
export type PortKind = 'tensor' | 'labels';

export interface PortSpec {
  readonly name: string;
  readonly kind: PortKind;
  readonly required: boolean;
  readonly description: string;
}

export type LayerCategory = 'io' | 'core' | 'conv' | 'activation' | 'normalization' | 'merge' | 'loss';

/** What a shape rule reports when it cannot produce output shapes. */
export interface ShapeRuleError {
  readonly code: 'SHAPE_MISMATCH' | 'INVALID_PARAM';
  readonly message: string;
  /** The parameter at fault, so a form can highlight it. */
  readonly param?: string;
  /** The input port at fault, so the canvas can highlight the incoming edge. */
  readonly port?: string;
}

export type ShapeRuleResult =
  | { readonly ok: true; readonly outputs: Readonly<Record<string, Shape>> }
  | { readonly ok: false; readonly error: ShapeRuleError };

export type ParamsSchema = z.ZodObject;

export interface LayerSpec<S extends ParamsSchema = ParamsSchema> {
  readonly type: string;
  readonly label: string;
  readonly category: LayerCategory;
  readonly description: string;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  /** Every field has a default, so `params.parse({})` yields a working layer. */
  readonly params: S;
  /**
   * Output shapes from input shapes (keyed by input port; every required port is present) and
   * parsed params. Method syntax on purpose: it keeps specs with specific params assignable to LayerSpec.
   */
  inferShapes(inputs: Readonly<Record<string, Shape>>, params: z.output<S>): ShapeRuleResult;
}
