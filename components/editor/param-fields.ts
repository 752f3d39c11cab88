import { z } from 'zod';
import { parseLayerParams, type LayerSpec } from '@/compute/layers';

/** One form field, derived from the layer's zod schema through its JSON schema. */
export type ParamField =
  | { readonly kind: 'number'; readonly name: string; readonly description: string; readonly integer: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean'; readonly name: string; readonly description: string }
  | { readonly kind: 'enum'; readonly name: string; readonly description: string; readonly options: readonly string[] }
  | { readonly kind: 'list'; readonly name: string; readonly description: string; readonly integer: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: 'text'; readonly name: string; readonly description: string };

interface JsonSchemaProp {
  type?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchemaProp;
}

const cache = new WeakMap<LayerSpec, readonly ParamField[]>();

/**
 * The fields of a layer's parameter form. Bounds come from the schema so the browser's number
 * input gets min/max; the authoritative check is still the schema itself (see checkParam).
 */
export function paramFields(spec: LayerSpec): readonly ParamField[] {
  const cached = cache.get(spec);
  if (cached) return cached;
  const schema = z.toJSONSchema(spec.params, { io: 'input' }) as { properties?: Record<string, JsonSchemaProp> };
  const fields = Object.entries(schema.properties ?? {}).map(([name, prop]) => toField(name, prop));
  cache.set(spec, fields);
  return fields;
}

function bounds(prop: JsonSchemaProp): { min?: number; max?: number } {
  const min = prop.minimum ?? prop.exclusiveMinimum;
  const max = prop.maximum ?? prop.exclusiveMaximum;
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

function toField(name: string, prop: JsonSchemaProp): ParamField {
  const description = prop.description ?? '';
  if (Array.isArray(prop.enum)) return { kind: 'enum', name, description, options: prop.enum.map(String) };
  switch (prop.type) {
    case 'integer':
    case 'number':
      return { kind: 'number', name, description, integer: prop.type === 'integer', ...bounds(prop) };
    case 'boolean':
      return { kind: 'boolean', name, description };
    case 'array': {
      const items = prop.items ?? {};
      return { kind: 'list', name, description, integer: items.type === 'integer', ...bounds(items) };
    }
    default:
      return { kind: 'text', name, description };
  }
}

/** How a stored value appears in a text box: lists as "8, 8, 16". */
export function formatParam(field: ParamField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'list' && Array.isArray(value)) return value.join(', ');
  return String(value);
}

export type ParsedInput = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Turns what was typed into a value of the field's JSON type; bounds are checked by the schema afterwards. */
export function parseParamInput(field: ParamField, text: string): ParsedInput {
  const trimmed = text.trim();
  switch (field.kind) {
    case 'number': {
      if (trimmed === '') return { ok: false, message: `${field.name} needs a value` };
      const value = Number(trimmed);
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: `${field.name} must be a number (got '${trimmed}')` };
    }
    case 'list': {
      if (trimmed === '') return { ok: false, message: `${field.name} needs at least one number, e.g. 28, 28, 1` };
      const parts = trimmed.split(/[\s,]+/).filter((p) => p !== '');
      const values = parts.map(Number);
      const bad = parts.find((_, i) => !Number.isFinite(values[i]));
      if (bad !== undefined) return { ok: false, message: `${field.name} must be numbers separated by commas (got '${bad}')` };
      return { ok: true, value: values };
    }
    case 'boolean':
      return { ok: true, value: trimmed === 'true' };
    default:
      return { ok: true, value: text };
  }
}

/**
 * Checks one new value against the whole schema (other params as they are now), and returns the
 * message for this parameter, e.g. "units must be at least 1 (got 0)", or null when it is valid.
 */
export function checkParam(spec: LayerSpec, params: Readonly<Record<string, unknown>>, name: string, value: unknown): string | null {
  const parsed = parseLayerParams(spec, { ...params, [name]: value });
  if (parsed.ok) return null;
  const own = parsed.issues.find((issue) => issue.param === name);
  return own ? own.message : null;
}
