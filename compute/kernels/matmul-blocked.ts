import { activationWgsl } from './activation-wgsl';
import { ceilDiv, linearGrid, LINEAR_WORKGROUP_WGSL } from './grid';
import { matmulBindings, operandLayout, validateMatmul, type MatmulParams } from './matmul-params';
import { bindingDeclarations, type KernelDef } from './types';

/**
 * Barrier-free matmul: each invocation computes an R×C block of C in registers (R rows, C = 4·C4
 * columns), reading A and B with vec4 loads straight from storage. No workgroup memory and no
 * barriers, which is what CPU adapters such as SwiftShader run well (DESIGN.md measured ~10x the
 * shared-memory tiled kernel there); on real GPUs the tiled variant is the right choice.
 *
 * Why the block grows with the problem: SwiftShader runs invocations as SIMD lanes and turns every
 * storage load with a computed index into per-lane scalar loads, which cost far more than the FMAs.
 * A block does R·C FMAs per (R + C) loaded values per k, so 16×8 loads 2.7x less per FMA than 4×4;
 * measured on this machine's SwiftShader (128×784×256): 4×4 0.21, 8×8 0.28, 16×8 0.45 GFLOP/s.
 * Larger blocks compile slower (≈0.1 s for 4×4, ≈0.8 s for 16×8), so small products keep 4×4.
 *
 * Operands whose leading dimension is a multiple of 4 are bound as array<vec4<f32>>; others fall
 * back to four scalar loads. Rows/columns past the edge are clamped (their results are never stored)
 * so the inner loop has no branches; only the K remainder (k % 4) runs a scalar tail.
 */
const LANES = ['x', 'y', 'z', 'w'] as const;
const FOUR = [0, 1, 2, 3] as const;

/** 64 is the guaranteed minimum and enough: these invocations share nothing within a workgroup. */
const WORKGROUP = 64;

export interface BlockShape {
  /** Rows of C per invocation (a multiple of 4). */
  readonly rows: number;
  /** Columns of C per invocation, in vec4s. */
  readonly cols4: number;
}

/** Products below this many multiply-adds keep the 4×4 block: compile time would dominate. */
const SMALL_PRODUCT = 1 << 21;

export function blockShape(p: MatmulParams): BlockShape {
  if (p.m * p.n * p.k < SMALL_PRODUCT) return { rows: 4, cols4: 1 };
  return { rows: p.m >= 64 ? 16 : p.m >= 16 ? 8 : 4, cols4: p.n >= 32 ? 2 : 1 };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function loaders(name: string, rows: number, ld: number, vec: boolean): string {
  const idx = (row: string, col: string) => `min(${row}, ${rows - 1}u) * ${ld}u + ${col}`;
  if (vec) {
    return `
fn load4_${name}(row: u32, col: u32) -> vec4<f32> { return ${name}[(${idx('row', 'col')}) / 4u]; }
fn load1_${name}(row: u32, col: u32) -> f32 { let i = ${idx('row', 'col')}; return ${name}[i / 4u][i % 4u]; }`;
  }
  const el = (d: number) => `${name}[base + min(col + ${d}u, ${ld - 1}u)]`;
  return `
fn load4_${name}(row: u32, col: u32) -> vec4<f32> {
  let base = min(row, ${rows - 1}u) * ${ld}u;
  return vec4<f32>(${el(0)}, ${el(1)}, ${el(2)}, ${el(3)});
}
fn load1_${name}(row: u32, col: u32) -> f32 { return ${name}[${idx('row', `min(col, ${ld - 1}u)`)}]; }`;
}

function blockedWgsl(p: MatmulParams): string {
  const { a, b } = operandLayout(p);
  const { rows: R, cols4: C4 } = blockShape(p);
  const RI = range(R);
  const CI = range(C4);
  const vecA = a.ld % 4 === 0;
  const vecB = b.ld % 4 === 0;
  const vecC = p.n % 4 === 0;
  const k4 = p.k - (p.k % 4);
  const blocksN = ceilDiv(p.n, 4 * C4);
  const blocks = blocksN * ceilDiv(p.m, R);

  // a(i, j) = A(m0+i, k+j): R row loads along k, or 4·R/4 loads along m read transposed.
  const loadA = p.transA
    ? FOUR.flatMap((j) => range(R / 4).map((q) => `    let ta${j}_${q} = load4_a(k + ${j}u, m0 + ${4 * q}u);`)).join('\n')
    : RI.map((i) => `    let ra${i} = load4_a(m0 + ${i}u, k);`).join('\n');
  const aij = (i: number, j: number) => (p.transA ? `ta${j}_${Math.floor(i / 4)}.${LANES[i % 4]}` : `ra${i}.${LANES[j]}`);
  // b(j, c) = B(k+j, n0+4c .. n0+4c+3): row loads along n, or loads along k assembled transposed.
  const loadB = p.transB
    ? CI.flatMap((c) => FOUR.map((i) => `    let tb${c}_${i} = load4_b(n0 + ${4 * c + i}u, k);`)).join('\n') + '\n' +
      CI.flatMap((c) => FOUR.map((j) => `    let b${j}_${c} = vec4<f32>(${FOUR.map((i) => `tb${c}_${i}.${LANES[j]}`).join(', ')});`)).join('\n')
    : FOUR.flatMap((j) => CI.map((c) => `    let b${j}_${c} = load4_b(k + ${j}u, n0 + ${4 * c}u);`)).join('\n');
  const fmas = RI.flatMap((i) =>
    CI.map((c) => `    acc${i}_${c} = acc${i}_${c} + ${aij(i, 0)} * b0_${c} + ${aij(i, 1)} * b1_${c} + ${aij(i, 2)} * b2_${c} + ${aij(i, 3)} * b3_${c};`),
  ).join('\n');

  const tailB = (c: number) =>
    p.transB ? `vec4<f32>(${FOUR.map((i) => `load1_b(n0 + ${4 * c + i}u, k)`).join(', ')})` : `load4_b(k, n0 + ${4 * c}u)`;
  const tailA = (i: number) => (p.transA ? `load1_a(k, m0 + ${i}u)` : `load1_a(m0 + ${i}u, k)`);
  const tail =
    k4 < p.k
      ? `
  for (var k = ${k4}u; k < ${p.k}u; k = k + 1u) {
${CI.map((c) => `    let bt${c} = ${tailB(c)};`).join('\n')}
${RI.map((i) => `    let at${i} = ${tailA(i)};\n${CI.map((c) => `    acc${i}_${c} = acc${i}_${c} + at${i} * bt${c};`).join('\n')}`).join('\n')}
  }`
      : '';

  const biasLoads = !p.bias
    ? ''
    : CI.map((c) =>
        vecC
          ? `let bias4_${c} = bias[min(n0 / 4u + ${c}u, ${p.n / 4 - 1}u)];`
          : `let bias4_${c} = vec4<f32>(${FOUR.map((d) => `bias[min(n0 + ${4 * c + d}u, ${p.n - 1}u)]`).join(', ')});`,
      ).join('\n  ');
  const store = (c: number) =>
    vecC
      ? `if (n0 + ${4 * c}u < N) { c[(row * N + n0) / 4u + ${c}u] = v${c}; }`
      : FOUR.map((d) => `if (n0 + ${4 * c + d}u < N) { c[row * N + n0 + ${4 * c + d}u] = v${c}.${LANES[d]}; }`).join('\n    ');
  const epilogue = RI.map(
    (i) => `  if (m0 + ${i}u < M) {
    let row = m0 + ${i}u;
${CI.map((c) => `    let v${c} = activate(acc${i}_${c}${p.bias ? ` + bias4_${c}` : ''});\n    ${store(c)}`).join('\n')}
  }`,
  ).join('\n');

  const types: Record<string, string> = {};
  if (vecA) types['a'] = 'array<vec4<f32>>';
  if (vecB) types['b'] = 'array<vec4<f32>>';
  if (vecC) {
    types['c'] = 'array<vec4<f32>>';
    types['bias'] = 'array<vec4<f32>>';
  }

  return /* wgsl */ `
${bindingDeclarations(matmulBindings(p), types)}
const M = ${p.m}u;
const N = ${p.n}u;
${LINEAR_WORKGROUP_WGSL}
${loaders('a', a.rows, a.ld, vecA)}
${loaders('b', b.rows, b.ld, vecB)}
${activationWgsl(p.activation ?? 'none', 'vec4<f32>', p.alpha)}

@compute @workgroup_size(${WORKGROUP}, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let block = linear_workgroup(wid, nwg) * ${WORKGROUP}u + lid;
  if (block >= ${blocks}u) { return; }
  let m0 = (block / ${blocksN}u) * ${R}u;
  let n0 = (block % ${blocksN}u) * ${4 * C4}u;
${RI.flatMap((i) => CI.map((c) => `  var acc${i}_${c} = vec4<f32>(0.0);`)).join('\n')}
  for (var k = 0u; k < ${k4}u; k = k + 4u) {
${loadA}
${loadB}
${fmas}
  }${tail}
  ${biasLoads}
${epilogue}
}`;
}

export const matmulBlocked: KernelDef<MatmulParams> = {
  name: 'matmul.blocked-4x4',
  op: 'matmul',
  variant: 'cpu-friendly',
  summary: 'barrier-free matmul, 4x4 (up to 16x8 for large products) register block per invocation, vec4 loads, fused bias + activation',
  bindings: matmulBindings,
  validate: validateMatmul,
  workgroupSize: () => [WORKGROUP, 1, 1],
  workgroups: (p, caps) => {
    const { rows, cols4 } = blockShape(p);
    return linearGrid(ceilDiv(ceilDiv(p.n, 4 * cols4) * ceilDiv(p.m, rows), WORKGROUP), caps);
  },
  wgsl: (p) => blockedWgsl(p),
};
