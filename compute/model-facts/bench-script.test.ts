import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

// Tests do not time things; this only proves scripts/bench-model-facts.ts runs and reports in its format.
describe('scripts/bench-model-facts.ts', () => {
  it('runs and prints one JSON line per 50-node graph family', () => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench-model-facts.ts'], {
      cwd: root,
      env: { ...process.env, BENCH_DURATION_MS: '50' },
      encoding: 'utf8',
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.graph)).toEqual(['residual-mlp', 'residual-cnn']);
    for (const line of lines) {
      expect(line).toMatchObject({ benchmark: 'model-facts', nodes: 50 });
      expect(line.microsPerCall).toBeGreaterThan(0);
    }
  });
});
