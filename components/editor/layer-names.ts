import type { Problem } from '@/compute/validate';

/**
 * Validation messages already lead with the layer's name (the validation store passes the
 * editor's names to validateGraph); any id a message still carries (from another producer) is
 * replaced by its name here, quoted or bare, whole ids only, so people never read an id.
 */
export function nameLayersIn(text: string, names: ReadonlyMap<string, string>): string {
  if (names.size === 0) return text;
  const ids = [...names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`'(${ids.join('|')})'|(?<![\\w-])(${ids.join('|')})(?![\\w-])`, 'g');
  return text.replace(pattern, (_, quoted: string | undefined, bare: string | undefined) => names.get((quoted ?? bare)!)!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The problem as people read it; the ids it carries for the canvas are kept. */
export function readableProblem(problem: Problem, names: ReadonlyMap<string, string>): Problem {
  const message = nameLayersIn(problem.message, names);
  return message === problem.message ? problem : { ...problem, message };
}

/** What a screen reader says for a connection. */
export function connectionName(source: string, target: string, names: ReadonlyMap<string, string>): string {
  return `Connection from ${names.get(source) ?? 'a removed layer'} to ${names.get(target) ?? 'a removed layer'}`;
}
