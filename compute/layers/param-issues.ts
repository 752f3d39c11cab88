import type { z } from 'zod';

export interface ParamIssue {
  /** Top-level parameter name, for highlighting a form field; absent when the params object itself is wrong. */
  readonly param?: string;
  readonly message: string;
}

/** Turns zod issues into sentences a person can act on, e.g. "units must be at least 1 (got 0)". */
export function describeParamIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): ParamIssue[] {
  return issues.map((issue) => describeParamIssue(issue, raw));
}

function describeParamIssue(issue: z.core.$ZodIssue, raw: unknown): ParamIssue {
  const top = issue.path[0];
  if (top === undefined) return { message: 'Parameters must be an object of named values' };
  const param = String(top);
  const name = formatPath(issue.path);
  const value = valueAt(raw, issue.path);
  const got = `(got ${formatValue(value)})`;

  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array') return { param, message: `${name} must have at least ${issue.minimum} entries ${gotLength(value)}` };
      return { param, message: `${name} must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum} ${got}` };
    case 'too_big':
      if (issue.origin === 'array') return { param, message: `${name} must have at most ${issue.maximum} entries ${gotLength(value)}` };
      return { param, message: `${name} must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum} ${got}` };
    case 'invalid_type':
      return { param, message: `${name} must be ${expectedPhrase(issue.expected)} ${got}` };
    case 'invalid_value':
      return { param, message: `${name} must be one of ${issue.values.map(formatValue).join(', ')} ${got}` };
    default:
      return { param, message: `${name}: ${issue.message}` };
  }
}

function expectedPhrase(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a finite number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'string':
      return 'text';
    default:
      return `of type ${expected}`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text === '' ? String(key) : `.${String(key)}`;
  return text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}

function gotLength(value: unknown): string {
  return Array.isArray(value) ? `(got ${value.length})` : '';
}
