import type { DeviceCaps } from './caps';
import { squareWorkgroupSide } from './caps';
import { activationWgsl } from './activation-wgsl';
import { ceilDiv, linearGrid, LINEAR_WORKGROUP_WGSL } from './grid';
import { matmulBindings, validateMatmul, type MatmulParams } from './matmul-params';
import { bindingDeclarations, type KernelDef } from './types';

/**
 * Shared-memory tiled matmul in the style of TF.js's WebGPU backend: an S×S workgroup stages a
 * (4S × TK) tile of A and a (TK × 4S) tile of B in workgroup memory, then each invocation
 * accumulates a 4×4 block whose rows and columns are strided by S (so neighbouring invocations
 * touch neighbouring addresses when loading and storing). The right kernel for real GPUs.
 *
 * S comes from the device limits (16×16 when 256 invocations are allowed, else 8×8) and TK is the
 * largest of 32/16/8 whose two tiles fit the workgroup storage limit.
 */
interface TiledShape {
  readonly side: number;
  readonly tileM: number;
  readonly tileN: number;
  readonly tileK: number;
}

export function tiledShape(caps: DeviceCaps): TiledShape {
  const side = squareWorkgroupSide(caps);
  const tile = side * 4;
  // Half the storage limit leaves room for a second resident workgroup on real GPUs.
  const budget = Math.max(caps.maxWorkgroupStorageBytes / 2, 2 * tile * 8 * 4);
  const tileK = [32, 16, 8].find((tk) => 2 * tile * tk * 4 <= budget) ?? 8;
  return { side, tileM: tile, tileN: tile, tileK };
}

function tiledWgsl(p: MatmulParams, caps: DeviceCaps): string {
  const { side: S, tileM, tileN, tileK } = tiledShape(caps);
  const tilesN = ceilDiv(p.n, tileN);
  const tiles = tilesN * ceilDiv(p.m, tileM);
  // Global element of op(A)(m, k) and op(B)(k, n) in storage order.
  const aIndex = p.transA ? 'k * M + m' : 'm * K + k';
  const bIndex = p.transB ? 'n * K + k' : 'k * N + n';
  // Map the flat load slot e to tile coordinates so consecutive invocations read consecutive addresses.
  const aSlot = p.transA ? `let r = e % ${tileM}u; let t = e / ${tileM}u;` : `let r = e / ${tileK}u; let t = e % ${tileK}u;`;
  const bSlot = p.transB ? `let t = e % ${tileK}u; let col = e / ${tileK}u;` : `let t = e / ${tileN}u; let col = e % ${tileN}u;`;
  const rows = [0, 1, 2, 3];

  return /* wgsl */ `
${bindingDeclarations(matmulBindings(p))}
const M = ${p.m}u;
const K = ${p.k}u;
const N = ${p.n}u;
const S = ${S}u;
const TILE_M = ${tileM}u;
const TILE_N = ${tileN}u;
const TILE_K = ${tileK}u;
var<workgroup> tileA: array<f32, ${tileM * tileK}>;
var<workgroup> tileB: array<f32, ${tileK * tileN}>;
${LINEAR_WORKGROUP_WGSL}
${activationWgsl(p.activation ?? 'none', 'f32', p.alpha)}

@compute @workgroup_size(${S}, ${S}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tile = linear_workgroup(wid, nwg);
  if (tile >= ${tiles}u) { return; }
  let mBase = (tile / ${tilesN}u) * TILE_M;
  let nBase = (tile % ${tilesN}u) * TILE_N;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < K; k0 = k0 + TILE_K) {
    for (var e = lid; e < TILE_M * TILE_K; e = e + S * S) {
      ${aSlot}
      let m = mBase + r;
      let k = k0 + t;
      var v = 0.0;
      if (m < M && k < K) { v = a[${aIndex}]; }
      tileA[r * TILE_K + t] = v;
    }
    for (var e = lid; e < TILE_K * TILE_N; e = e + S * S) {
      ${bSlot}
      let n = nBase + col;
      let k = k0 + t;
      var v = 0.0;
      if (n < N && k < K) { v = b[${bIndex}]; }
      tileB[t * TILE_N + col] = v;
    }
    workgroupBarrier();
    for (var t = 0u; t < TILE_K; t = t + 1u) {
      let bv = vec4<f32>(tileB[t * TILE_N + tx], tileB[t * TILE_N + tx + S],
                         tileB[t * TILE_N + tx + 2u * S], tileB[t * TILE_N + tx + 3u * S]);
${rows.map((i) => `      acc${i} = acc${i} + tileA[(ty + ${i}u * S) * TILE_K + t] * bv;`).join('\n')}
    }
    workgroupBarrier();
  }
${rows
  .map(
    (i) => `  {
    let m = mBase + ty + ${i}u * S;
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = nBase + tx + j * S;
      if (m < M && n < N) { c[m * N + n] = activate(acc${i}[j]${p.bias ? ' + bias[n]' : ''}); }
    }
  }`,
  )
  .join('\n')}
}`;
}

export const matmulTiled: KernelDef<MatmulParams> = {
  name: 'matmul.tiled-shared',
  op: 'matmul',
  variant: 'tiled-shared',
  summary: 'workgroup-shared-memory tiled matmul (TF.js style), 4x4 strided outputs per invocation, fused bias + activation',
  bindings: matmulBindings,
  validate: validateMatmul,
  workgroupSize: (_p, caps) => {
    const { side } = tiledShape(caps);
    return [side, side, 1];
  },
  workgroups: (p, caps) => {
    const { tileM, tileN } = tiledShape(caps);
    return linearGrid(ceilDiv(p.n, tileN) * ceilDiv(p.m, tileM), caps);
  },
  wgsl: tiledWgsl,
};
