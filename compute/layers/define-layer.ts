import type { Shape } from '../graph/types';
import type { LayerSpec, ParamsSchema, PortSpec, ShapeRuleError, ShapeRuleResult } from './types';

/** Identity helper that lets TypeScript infer the params type of inferShapes from the schema. */
export function defineLayer<S extends ParamsSchema>(spec: LayerSpec<S>): LayerSpec<S> {
  return spec;
}

export function tensorPort(name: string, description: string): PortSpec {
  return { name, kind: 'tensor', required: true, description };
}

export function labelsPort(name: string, description: string): PortSpec {
  return { name, kind: 'labels', required: true, description };
}

export function outputs(record: Record<string, Shape>): ShapeRuleResult {
  return { ok: true, outputs: record };
}

export function shapeError(message: string, port?: string): ShapeRuleResult {
  const error: ShapeRuleError = port === undefined ? { code: 'SHAPE_MISMATCH', message } : { code: 'SHAPE_MISMATCH', message, port };
  return { ok: false, error };
}

export function paramError(param: string, message: string): ShapeRuleResult {
  return { ok: false, error: { code: 'INVALID_PARAM', message, param } };
}

/** Reads a required input; the validator guarantees required ports are present before calling a rule. */
export function input(inputs: Readonly<Record<string, Shape>>, port: string): Shape {
  const shape = inputs[port];
  if (!shape) throw new Error(`Shape rule called without required input '${port}'`);
  return shape;
}
