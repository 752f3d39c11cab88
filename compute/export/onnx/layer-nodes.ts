import type { Padding } from '../../cpu/window-geometry';
import { ModelError } from '../../model/model-error';
import type { PlanNode } from '../../model/plan';
import type { ParamRole } from '../../model/param-specs';
import type { FloatArray, ParameterSet } from '../../model/tensor';
import { windowPads } from '../window-pads';
import { hwioToOihw, type OnnxGraphBuilder } from './onnx-builder';

/**
 * One layer to ONNX nodes. Tensors keep our layout throughout: [batch, ...shape] with images NHWC.
 * ONNX's Conv, pools and BatchNormalization want channels at axis 1, so those are wrapped in
 * Transpose pairs; onnxruntime's transpose optimizer cancels adjacent pairs, so the cost is small,
 * and everything between them (Flatten, Reshape, Concat axes, Dense) keeps our exact semantics.
 */
export interface LayerExportContext {
  readonly b: OnnxGraphBuilder;
  readonly node: PlanNode;
  /** Tensor names feeding each connected input port, in port order. */
  readonly inputs: readonly string[];
  readonly params: ParameterSet;
}

/** Returns the name of the tensor holding the node's output. */
export type LayerExporter = (ctx: LayerExportContext) => string;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/** Layers exported to ONNX; Input, Labels and losses are handled by the model exporter. */
export const ONNX_EXPORTERS: ReadonlyMap<string, LayerExporter> = new Map<string, LayerExporter>([
  ['Dense', dense],
  ['Conv2D', conv2d],
  ['MaxPool2D', (ctx) => pool(ctx, 'MaxPool')],
  ['AvgPool2D', (ctx) => pool(ctx, 'AveragePool')],
  ['Flatten', (ctx) => ctx.b.node('Flatten', [x(ctx)], out(ctx), { axis: { type: 'int', value: 1 } })],
  ['Reshape', reshape],
  ['Dropout', (ctx) => ctx.b.node('Identity', [x(ctx)], out(ctx))],
  ['ReLU', (ctx) => ctx.b.node('Relu', [x(ctx)], out(ctx))],
  ['LeakyReLU', (ctx) => ctx.b.node('LeakyRelu', [x(ctx)], out(ctx), { alpha: { type: 'float', value: ctx.node.params['alpha'] as number } })],
  ['Sigmoid', (ctx) => ctx.b.node('Sigmoid', [x(ctx)], out(ctx))],
  ['Tanh', (ctx) => ctx.b.node('Tanh', [x(ctx)], out(ctx))],
  ['GELU', gelu],
  ['Softmax', (ctx) => ctx.b.node('Softmax', [x(ctx)], out(ctx), { axis: { type: 'int', value: -1 } })],
  ['BatchNorm', batchNorm],
  ['Add', (ctx) => ctx.b.node('Add', [x(ctx, 0), x(ctx, 1)], out(ctx))],
  ['Concat', concat],
]);

function x(ctx: LayerExportContext, index = 0): string {
  return ctx.inputs[index]!;
}

/** The node's output tensor is named after the node id (made unique if needed). */
function out(ctx: LayerExportContext): string {
  return ctx.b.name(ctx.node.id);
}

function param(ctx: LayerExportContext, role: ParamRole): FloatArray {
  const t = ctx.params.get(`${ctx.node.id}.${role}`);
  if (!t) throw new ModelError('MISSING_PARAMETER', `Parameter '${ctx.node.id}.${role}' is missing`, ctx.node.id);
  return t.data;
}

function dense(ctx: LayerExportContext): string {
  const { b, node } = ctx;
  const inShape = node.inputs[0]!.shape;
  const k = inShape[inShape.length - 1]!;
  const units = node.params['units'] as number;
  const weight = b.floatInitializer(`${node.id}.weight`, [k, units], param(ctx, 'weight'));
  const bias = node.params['useBias'] !== false ? b.floatInitializer(`${node.id}.bias`, [units], param(ctx, 'bias')) : undefined;
  // Gemm is the canonical fully connected op but only takes 2-D inputs; higher ranks use MatMul + Add.
  if (inShape.length === 1) return b.node('Gemm', bias ? [x(ctx), weight, bias] : [x(ctx), weight], out(ctx));
  if (!bias) return b.node('MatMul', [x(ctx), weight], out(ctx));
  const product = b.node('MatMul', [x(ctx), weight], b.name(`${node.id}/matmul`));
  return b.node('Add', [product, bias], out(ctx));
}

interface Window {
  readonly k: number;
  readonly stride: number;
  readonly pads: number[];
}

function window(node: PlanNode, kernelParam: string): Window {
  const [height, width] = node.inputs[0]!.shape as [number, number, number];
  const k = node.params[kernelParam] as number;
  const stride = node.params['stride'] as number;
  const [top, left, bottom, right] = windowPads(height, width, k, stride, node.params['padding'] as Padding);
  // ONNX orders pads as [x1_begin, x2_begin, x1_end, x2_end].
  return { k, stride, pads: [top, left, bottom, right] };
}

/** Runs `inner` (which takes and returns NCHW tensors) on an NHWC tensor. */
function channelsFirst(ctx: LayerExportContext, inner: (nchw: string) => string): string {
  const { b, node } = ctx;
  const nchw = b.node('Transpose', [x(ctx)], b.name(`${node.id}/nchw_in`), { perm: { type: 'ints', value: NHWC_TO_NCHW } });
  return b.node('Transpose', [inner(nchw)], out(ctx), { perm: { type: 'ints', value: NCHW_TO_NHWC } });
}

function conv2d(ctx: LayerExportContext): string {
  const { b, node } = ctx;
  const w = window(node, 'kernelSize');
  const cin = node.inputs[0]!.shape[2]!;
  const cout = node.params['filters'] as number;
  const weight = b.floatInitializer(`${node.id}.weight`, [cout, cin, w.k, w.k], hwioToOihw(param(ctx, 'weight'), w.k, cin, cout));
  const inputs = node.params['useBias'] !== false ? [weight, b.floatInitializer(`${node.id}.bias`, [cout], param(ctx, 'bias'))] : [weight];
  return channelsFirst(ctx, (nchw) =>
    b.node('Conv', [nchw, ...inputs], b.name(`${node.id}/nchw_out`), {
      kernel_shape: { type: 'ints', value: [w.k, w.k] },
      strides: { type: 'ints', value: [w.stride, w.stride] },
      pads: { type: 'ints', value: w.pads },
    }),
  );
}

function pool(ctx: LayerExportContext, opType: 'MaxPool' | 'AveragePool'): string {
  const { b, node } = ctx;
  const w = window(node, 'poolSize');
  return channelsFirst(ctx, (nchw) =>
    b.node(opType, [nchw], b.name(`${node.id}/nchw_out`), {
      kernel_shape: { type: 'ints', value: [w.k, w.k] },
      strides: { type: 'ints', value: [w.stride, w.stride] },
      pads: { type: 'ints', value: w.pads },
      // Average over real values only, as our kernels do; MaxPool ignores padding by definition.
      ...(opType === 'AveragePool' ? { count_include_pad: { type: 'int' as const, value: 0 } } : {}),
    }),
  );
}

function reshape(ctx: LayerExportContext): string {
  const { b, node } = ctx;
  // The inferred output shape is fully known, so only the batch dimension is left to -1.
  const shape = b.int64Initializer(`${node.id}/shape`, [-1, ...node.outputShape!]);
  return b.node('Reshape', [x(ctx), shape], out(ctx));
}

/**
 * GELU's tanh approximation composed from opset-13 ops, matching compute/cpu exactly:
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). (The Gelu op only arrived in opset 20.)
 */
function gelu(ctx: LayerExportContext): string {
  const { b, node } = ctx;
  const t = (suffix: string) => b.name(`${node.id}/${suffix}`);
  const input = x(ctx);
  const square = b.node('Mul', [input, input], t('x2'));
  const cube = b.node('Mul', [square, input], t('x3'));
  const inner = b.node('Add', [input, b.node('Mul', [cube, b.scalar(0.044715)], t('cubic'))], t('inner'));
  const scaled = b.node('Mul', [inner, b.scalar(Math.sqrt(2 / Math.PI))], t('scaled'));
  const onePlus = b.node('Add', [b.node('Tanh', [scaled], t('tanh')), b.scalar(1)], t('one_plus'));
  const half = b.node('Mul', [input, b.scalar(0.5)], t('half'));
  return b.node('Mul', [half, onePlus], out(ctx));
}

/** Inference BatchNorm from the running statistics; channels (our last axis) move to axis 1 and back. */
function batchNorm(ctx: LayerExportContext): string {
  const { b, node } = ctx;
  const shape = node.inputs[0]!.shape;
  const channels = shape[shape.length - 1]!;
  const inputs = (['weight', 'bias', 'running_mean', 'running_var'] as const).map((role) =>
    b.floatInitializer(`${node.id}.${role}`, [channels], param(ctx, role)),
  );
  const epsilon = { epsilon: { type: 'float' as const, value: node.params['epsilon'] as number } };
  const rank = shape.length + 1;
  if (rank === 2) return b.node('BatchNormalization', [x(ctx), ...inputs], out(ctx), epsilon);
  const toFirst = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
  const toLast = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
  const moved = b.node('Transpose', [x(ctx)], b.name(`${node.id}/channels_first`), { perm: { type: 'ints', value: toFirst } });
  const normed = b.node('BatchNormalization', [moved, ...inputs], b.name(`${node.id}/normalized`), epsilon);
  return b.node('Transpose', [normed], out(ctx), { perm: { type: 'ints', value: toLast } });
}

function concat(ctx: LayerExportContext): string {
  const axis = ctx.node.params['axis'] as number;
  // Our axis excludes the batch; negative axes count from the end either way.
  return ctx.b.node('Concat', [x(ctx, 0), x(ctx, 1)], out(ctx), { axis: { type: 'int', value: axis < 0 ? axis : axis + 1 } });
}
