/**
 * `npm test`: every quality gate in order — typecheck, lint, unit and integration tests against the
 * real database, then the browser journeys against the app started as `npm start` starts it.
 * Stops at the first failing gate and prints how long each took.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNextBuild } from './lib/next-build';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

// Machine-readable results of both runners, summed into one closing line.
const VITEST_REPORT = path.join(root, 'test-results', 'vitest.json');
const E2E_REPORT = path.join(root, 'test-results', 'e2e.json');

const gates: { name: string; run: () => number | null }[] = [
  { name: 'typecheck', run: () => run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) },
  { name: 'lint', run: () => run(bin('eslint'), ['--max-warnings=0', '.']) },
  { name: 'unit + integration (vitest)', run: () => run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_REPORT}`]) },
  {
    name: 'e2e (Playwright + Chromium)',
    run: () => {
      ensureNextBuild(root, (m) => console.log(`[test] ${m}`));
      return run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts']);
    },
  },
];

function run(command: string, args: string[]): number | null {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }).status;
}

/** Passed and failed test counts from the runners' JSON reports (missing reports count as nothing). */
function totals(): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  if (existsSync(VITEST_REPORT)) {
    const v = JSON.parse(readFileSync(VITEST_REPORT, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed += v.numPassedTests;
    failed += v.numFailedTests;
  }
  if (existsSync(E2E_REPORT)) {
    const e = JSON.parse(readFileSync(E2E_REPORT, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
    passed += e.stats.expected + e.stats.flaky;
    failed += e.stats.unexpected;
  }
  return { passed, failed };
}

const only = process.argv.slice(2);
rmSync(VITEST_REPORT, { force: true });
rmSync(E2E_REPORT, { force: true });
const timings: string[] = [];
const started = Date.now();
for (const gate of gates) {
  if (only.length && !only.some((o) => gate.name.startsWith(o))) continue;
  console.log(`\n[test] ── ${gate.name} ──`);
  const t0 = Date.now();
  const status = gate.run();
  timings.push(`${gate.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (status !== 0) {
    console.error(`\n[test] ${gate.name} failed (exit ${status}).`);
    const { passed, failed } = totals();
    console.log(`tests: ${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(status ?? 1);
  }
}
console.log(`\n[test] all gates passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const line of timings) console.log(`[test]   ${line}`);
const { passed, failed } = totals();
console.log(`tests: ${passed} passed, ${failed} failed`);
