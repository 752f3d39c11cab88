/**
 * Node ids become Python identifiers (module attributes and local variables). Ids are free text in
 * the editor, so they are sanitised and de-duplicated, and never shadow what the generated code uses.
 */
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);
const RESERVED = new Set(['torch', 'nn', 'F', 'self', 'np', 'math', 'load_file', 'save_file', 'super', 'float', 'len', 'range', 'print']);

export class PythonNames {
  private readonly taken = new Set<string>();
  private readonly byId = new Map<string, string>();

  /** The identifier for a node id, created on first use. */
  of(id: string): string {
    const existing = this.byId.get(id);
    if (existing) return existing;
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `n_${base}`;
    if (PYTHON_KEYWORDS.has(base) || RESERVED.has(base) || base.startsWith('_')) base = `n${base.startsWith('_') ? '' : '_'}${base}`;
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    this.byId.set(id, name);
    return name;
  }
}

/** A Python string literal; JSON's escapes are all valid in Python. */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/** A Python float literal that keeps full precision. */
export function pyFloat(value: number): string {
  const s = String(value);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
