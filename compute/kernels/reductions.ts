import { linearWorkgroupSize, squareWorkgroupSide, type DeviceCaps } from './caps';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { ceilDiv, linearGrid, LINEAR_WORKGROUP_WGSL } from './grid';
import { bindingDeclarations, f32Literal, input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * Reductions: column sums (the bias gradient, Σ over the batch) and a scalar sum (batch loss).
 * Each comes in two variants: a workgroup-shared-memory tree for GPUs, and a serial loop per output
 * for CPU adapters, where barriers are expensive and a plain loop is already vectorised.
 */
export interface ColumnSumParams {
  readonly rows: number;
  readonly cols: number;
}

const columnSumBindings = () => [input('x', 'matrix [rows, cols]'), output('y', 'column sums [cols]')];
const validateColumnSum = (p: ColumnSumParams) => {
  requirePositiveInt('rows', p.rows);
  requirePositiveInt('cols', p.cols);
};

export const columnSumSerial: KernelDef<ColumnSumParams> = {
  name: 'column-sum.serial',
  op: 'column-sum',
  variant: 'cpu-friendly',
  summary: 'y[c] = Σ_r x[r,c]; one invocation per column, serial over rows, no barriers',
  bindings: columnSumBindings,
  validate: validateColumnSum,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.cols, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: columnSumBindings(),
        items: p.cols,
        body: `  var s = 0.0;
  for (var r = 0u; r < ${p.rows}u; r = r + 1u) { s = s + x[r * ${p.cols}u + i]; }
  y[i] = s;`,
      },
      caps,
    ),
};

export const columnSumShared: KernelDef<ColumnSumParams> = {
  name: 'column-sum.shared-tree',
  op: 'column-sum',
  variant: 'tiled-shared',
  summary: 'y[c] = Σ_r x[r,c]; an S×S workgroup covers S columns, S row lanes, tree-reduced in workgroup memory',
  bindings: columnSumBindings,
  validate: validateColumnSum,
  workgroupSize: (_p, caps) => {
    const s = squareWorkgroupSide(caps);
    return [s, s, 1];
  },
  workgroups: (p, caps) => linearGrid(ceilDiv(p.cols, squareWorkgroupSide(caps)), caps),
  wgsl: (p, caps) => {
    const S = squareWorkgroupSide(caps);
    return /* wgsl */ `
${bindingDeclarations(columnSumBindings())}
${LINEAR_WORKGROUP_WGSL}
var<workgroup> partial: array<f32, ${S * S}>;

@compute @workgroup_size(${S}, ${S}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let col = linear_workgroup(wid, nwg) * ${S}u + lid.x;
  var s = 0.0;
  if (col < ${p.cols}u) {
    for (var r = lid.y; r < ${p.rows}u; r = r + ${S}u) { s = s + x[r * ${p.cols}u + col]; }
  }
  partial[lid.y * ${S}u + lid.x] = s;
  workgroupBarrier();
  for (var stride = ${S / 2}u; stride > 0u; stride = stride / 2u) {
    if (lid.y < stride) {
      partial[lid.y * ${S}u + lid.x] = partial[lid.y * ${S}u + lid.x] + partial[(lid.y + stride) * ${S}u + lid.x];
    }
    workgroupBarrier();
  }
  if (lid.y == 0u && col < ${p.cols}u) { y[col] = partial[lid.x]; }
}`;
  },
};

export interface SumParams {
  readonly count: number;
  /** Multiplies the sum (1/count gives a mean). */
  readonly scale?: number;
}

const sumBindings = () => [input('x', 'values [count]'), output('y', 'scaled sum [1]')];
const validateSum = (p: SumParams) => requirePositiveInt('count', p.count);

export const sumSerial: KernelDef<SumParams> = {
  name: 'sum.serial',
  op: 'sum',
  variant: 'cpu-friendly',
  summary: 'y[0] = scale * Σ x; a single invocation loops (used for batch losses of a few hundred values)',
  bindings: sumBindings,
  validate: validateSum,
  workgroupSize: () => [1, 1, 1],
  workgroups: () => [1, 1, 1],
  wgsl: (p) => /* wgsl */ `
${bindingDeclarations(sumBindings())}
@compute @workgroup_size(1, 1, 1)
fn main() {
  var s = 0.0;
  for (var i = 0u; i < ${p.count}u; i = i + 1u) { s = s + x[i]; }
  y[0] = s * ${f32Literal(p.scale ?? 1)};
}`,
};

/** The tree halves a power of two, so the lane count is the largest power of two the device allows. */
function sumLanes(caps: DeviceCaps): number {
  return 2 ** Math.floor(Math.log2(linearWorkgroupSize(caps, 256)));
}

export const sumShared: KernelDef<SumParams> = {
  name: 'sum.shared-tree',
  op: 'sum',
  variant: 'tiled-shared',
  summary: 'y[0] = scale * Σ x; one workgroup, strided partial sums then a tree in workgroup memory',
  bindings: sumBindings,
  validate: validateSum,
  workgroupSize: (_p, caps) => [sumLanes(caps), 1, 1],
  workgroups: () => [1, 1, 1],
  wgsl: (p, caps) => {
    const lanes = sumLanes(caps);
    return /* wgsl */ `
${bindingDeclarations(sumBindings())}
var<workgroup> partial: array<f32, ${lanes}>;

@compute @workgroup_size(${lanes}, 1, 1)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < ${p.count}u; i = i + ${lanes}u) { s = s + x[i]; }
  partial[lid] = s;
  workgroupBarrier();
  for (var stride = ${lanes / 2}u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) { partial[lid] = partial[lid] + partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { y[0] = partial[0] * ${f32Literal(p.scale ?? 1)}; }
}`;
  },
};
