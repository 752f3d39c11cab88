import { activationWgsl } from './activation-wgsl';
import { ceilDiv, linearGrid, LINEAR_WORKGROUP_WGSL } from './grid';
import { matmulBindings, operandLayout, validateMatmul, type MatmulParams } from './matmul-params';
import { bindingDeclarations, type KernelDef } from './types';

/**
 * Barrier-free matmul: each invocation computes a 4×4 block of C in registers, reading A and B with
 * vec4 loads straight from storage. No workgroup memory and no barriers, which is what CPU adapters
 * such as SwiftShader run well (DESIGN.md measured ~10x the shared-memory tiled kernel there); on
 * real GPUs the tiled variant is the right choice.
 *
 * Operands whose leading dimension is a multiple of 4 are bound as array<vec4<f32>>; others fall
 * back to four scalar loads. Rows/columns past the edge are clamped (their results are never stored)
 * so the inner loop has no branches; only the K remainder (k % 4) runs a scalar tail.
 */
const BLOCK = 4;
const LANES = ['x', 'y', 'z', 'w'] as const;
const ROWS = [0, 1, 2, 3] as const;

/** 64 is the guaranteed minimum and enough: these invocations share nothing within a workgroup. */
const WORKGROUP = 64;

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
  const vecA = a.ld % 4 === 0;
  const vecB = b.ld % 4 === 0;
  const vecC = p.n % 4 === 0;
  const k4 = p.k - (p.k % BLOCK);
  const blocksN = ceilDiv(p.n, BLOCK);
  const blocks = blocksN * ceilDiv(p.m, BLOCK);

  // a_ij = A(m0+i, k+j): either 4 row loads along k, or 4 loads along m read transposed.
  const loadA = p.transA
    ? ROWS.map((j) => `    let ta${j} = load4_a(k + ${j}u, m0);`).join('\n')
    : ROWS.map((i) => `    let ra${i} = load4_a(m0 + ${i}u, k);`).join('\n');
  const aij = (i: number, j: number) => (p.transA ? `ta${j}.${LANES[i]}` : `ra${i}.${LANES[j]}`);
  // b_j = B(k+j, n0..n0+3): either 4 row loads along n, or 4 loads along k assembled transposed.
  const loadB = p.transB
    ? ROWS.map((i) => `    let tb${i} = load4_b(n0 + ${i}u, k);`).join('\n') + '\n' +
      ROWS.map((j) => `    let b${j} = vec4<f32>(tb0.${LANES[j]}, tb1.${LANES[j]}, tb2.${LANES[j]}, tb3.${LANES[j]});`).join('\n')
    : ROWS.map((j) => `    let b${j} = load4_b(k + ${j}u, n0);`).join('\n');
  const fmas = ROWS.map(
    (i) => `    acc${i} = acc${i} + ${aij(i, 0)} * b0 + ${aij(i, 1)} * b1 + ${aij(i, 2)} * b2 + ${aij(i, 3)} * b3;`,
  ).join('\n');

  const tailB = p.transB
    ? 'vec4<f32>(load1_b(n0, k), load1_b(n0 + 1u, k), load1_b(n0 + 2u, k), load1_b(n0 + 3u, k))'
    : 'load4_b(k, n0)';
  const tailA = (i: number) => (p.transA ? `load1_a(k, m0 + ${i}u)` : `load1_a(m0 + ${i}u, k)`);
  const tail =
    k4 < p.k
      ? `
  for (var k = ${k4}u; k < ${p.k}u; k = k + 1u) {
    let bt = ${tailB};
${ROWS.map((i) => `    acc${i} = acc${i} + ${tailA(i)} * bt;`).join('\n')}
  }`
      : '';

  const biasLoad = !p.bias
    ? ''
    : vecC
      ? 'let bias4 = bias[n0 / 4u];'
      : `let bias4 = vec4<f32>(${ROWS.map((d) => `bias[min(n0 + ${d}u, ${p.n - 1}u)]`).join(', ')});`;
  const store = vecC
    ? 'c[(row * N + n0) / 4u] = v;'
    : ROWS.map((d) => `if (n0 + ${d}u < N) { c[row * N + n0 + ${d}u] = v.${LANES[d]}; }`).join('\n    ');
  const epilogue = ROWS.map(
    (i) => `  if (m0 + ${i}u < M) {
    let row = m0 + ${i}u;
    let v = activate(acc${i}${p.bias ? ' + bias4' : ''});
    ${store}
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
  let m0 = (block / ${blocksN}u) * 4u;
  let n0 = (block % ${blocksN}u) * 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < ${k4}u; k = k + 4u) {
${loadA}
${loadB}
${fmas}
  }${tail}
  ${biasLoad}
${epilogue}
}`;
}

export const matmulBlocked: KernelDef<MatmulParams> = {
  name: 'matmul.blocked-4x4',
  op: 'matmul',
  variant: 'cpu-friendly',
  summary: 'barrier-free matmul, 4x4 register block per invocation, vec4 loads, fused bias + activation',
  bindings: matmulBindings,
  validate: validateMatmul,
  workgroupSize: () => [WORKGROUP, 1, 1],
  workgroups: (p, caps) => linearGrid(ceilDiv(ceilDiv(p.n, BLOCK) * ceilDiv(p.m, BLOCK), WORKGROUP), caps),
  wgsl: (p) => blockedWgsl(p),
};
