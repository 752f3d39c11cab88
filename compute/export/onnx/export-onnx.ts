import { checkParameters } from '../../model/check-parameters';
import { ModelError } from '../../model/model-error';
import type { ModelPlan } from '../../model/plan';
import type { ParameterSet } from '../../model/tensor';
import { OnnxGraphBuilder } from './onnx-builder';
import { encodeModel, TensorDataType, type ModelProto, type ValueInfoProto } from './onnx-proto';
import { ONNX_EXPORTERS } from './layer-nodes';

export interface OnnxExportOptions {
  /** Append Softmax to classifier logits so the model outputs probabilities. Default false. */
  readonly softmax?: boolean;
  /** Graph name inside the file. Default 'cyxwiz_model'. */
  readonly name?: string;
  readonly docString?: string;
}

/** opset 17 (IR 8) is supported by every current runtime, including onnxruntime-web. */
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/** Layer types the ONNX exporter converts (plus Input; Labels and losses are dropped). */
export const ONNX_EXPORTABLE_LAYERS: readonly string[] = [...ONNX_EXPORTERS.keys()];

/**
 * An inference model: each Input layer becomes a graph input `[batch, ...shape]` named by its node
 * id; Labels and losses are dropped, and the tensor each loss scores becomes an output —
 * `logits` (or `probabilities` with `softmax`) for SoftmaxCrossEntropy, `predictions` for MSE.
 * With several losses the names are prefixed by the loss id. Dropout is Identity and BatchNorm
 * uses its running statistics. Weights are embedded as initializers named like our parameters.
 */
export function buildOnnxModel(plan: ModelPlan, params: ParameterSet, options: OnnxExportOptions = {}): ModelProto {
  checkParameters(plan, params);
  const b = new OnnxGraphBuilder();
  const tensorOf = new Map<string, string>();
  const inputs: ValueInfoProto[] = [];

  for (const node of plan.nodes) {
    if (node.type === 'Input') {
      const name = b.name(node.id);
      tensorOf.set(node.id, name);
      inputs.push({ name, elemType: TensorDataType.FLOAT, dims: ['batch', ...node.outputShape!] });
      continue;
    }
    if (node.category === 'loss' || node.type === 'Labels') continue;
    const exporter = ONNX_EXPORTERS.get(node.type);
    if (!exporter) throw new ModelError('UNSUPPORTED_LAYER', `${node.type} cannot be exported to ONNX`, node.id);
    const nodeInputs = node.inputs.map((i) => tensorOf.get(i.source)!);
    tensorOf.set(node.id, exporter({ b, node, inputs: nodeInputs, params }));
  }

  const outputs: ValueInfoProto[] = [];
  for (const output of plan.outputs) {
    const classifier = output.lossType === 'SoftmaxCrossEntropy';
    const kind = classifier ? (options.softmax ? 'probabilities' : 'logits') : 'predictions';
    const base = plan.outputs.length === 1 ? kind : `${output.lossId}/${kind}`;
    let tensor = tensorOf.get(output.source)!;
    if (classifier && options.softmax) tensor = b.node('Softmax', [tensor], b.name(`${output.lossId}/softmax`), { axis: { type: 'int', value: -1 } });
    // Identity gives the output a stable name independent of node ids.
    const name = b.node('Identity', [tensor], b.name(base));
    outputs.push({ name, elemType: TensorDataType.FLOAT, dims: ['batch', ...output.shape] });
  }
  if (outputs.length === 0) throw new ModelError('INVALID_GRAPH', 'The model has no loss, so there is no output to export');

  return {
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: 'CyxWiz',
    producerVersion: '0.1.0',
    ...(options.docString ? { docString: options.docString } : {}),
    metadata: { layout: 'inputs and outputs are [batch, ...shape]; images NHWC' },
    graph: { name: options.name ?? 'cyxwiz_model', nodes: b.nodes, initializers: b.initializers, inputs, outputs },
  };
}

/** Serialises the model to ONNX protobuf bytes, ready to save as `model.onnx`. */
export function exportOnnx(plan: ModelPlan, params: ParameterSet, options: OnnxExportOptions = {}): Uint8Array {
  return encodeModel(buildOnnxModel(plan, params, options));
}
