import { preprocessingConstants, preprocessingWidth } from '../../data/preprocessing';
import { checkParameters } from '../../model/check-parameters';
import { ModelError } from '../../model/model-error';
import type { ModelPlan } from '../../model/plan';
import type { ParameterSet } from '../../model/tensor';
import { OnnxGraphBuilder } from './onnx-builder';
import { encodeModel, TensorDataType, type ModelProto, type ValueInfoProto } from './onnx-proto';
import { ONNX_EXPORTERS } from './layer-nodes';
import { modelMetadataEntries, type ModelMetadata } from '../model-metadata';

export interface OnnxExportOptions {
  /** Append Softmax to classifier logits so the model outputs probabilities. Default false. */
  readonly softmax?: boolean;
  /** Graph name inside the file. Default 'cyxwiz_model'. */
  readonly name?: string;
  readonly docString?: string;
  /**
   * The fitted preprocessing and class names: the model then takes RAW features. Needs a single
   * Input, which is named `features`; the scaling becomes Sub/Div nodes in front of the layers,
   * classifiers output both `logits` and `probabilities`, and both travel as JSON in metadata_props.
   */
  readonly model?: ModelMetadata;
}

/** The graph input's name when the export carries its preprocessing. */
export const ONNX_FEATURES_INPUT = 'features';

/** opset 17 (IR 8) is supported by every current runtime, including onnxruntime-web. */
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/** Layer types the ONNX exporter converts (plus Input; Labels and losses are dropped). */
export const ONNX_EXPORTABLE_LAYERS: readonly string[] = [...ONNX_EXPORTERS.keys()];

/**
 * An inference model: each Input layer becomes a graph input `[batch, ...shape]` named by its node
 * id (or `features`, taking raw rows, with `model`); Labels and losses are dropped, and the tensor
 * each loss scores becomes an output — `logits` (or `probabilities` with `softmax`, both with
 * `model`) for SoftmaxCrossEntropy, `predictions` for MSE.
 * With several losses the names are prefixed by the loss id. Dropout is Identity and BatchNorm
 * uses its running statistics. Weights are embedded as initializers named like our parameters.
 */
export function buildOnnxModel(plan: ModelPlan, params: ParameterSet, options: OnnxExportOptions = {}): ModelProto {
  checkParameters(plan, params);
  const b = new OnnxGraphBuilder();
  const tensorOf = new Map<string, string>();
  const inputs: ValueInfoProto[] = [];
  const { model } = options;
  if (model && plan.inputs.length !== 1) throw new ModelError('INVALID_GRAPH', `A model exported with its preprocessing needs exactly one Input; this one has ${plan.inputs.length}`);
  // Reserved first, so no node id can take the public names.
  const featuresName = model ? b.name(ONNX_FEATURES_INPUT) : '';

  for (const node of plan.nodes) {
    if (node.type === 'Input') {
      const shape = node.outputShape!;
      const name = model ? featuresName : b.name(node.id);
      inputs.push({ name, elemType: TensorDataType.FLOAT, dims: ['batch', ...shape] });
      tensorOf.set(node.id, model ? scaledInput(b, name, shape, model) : name);
      continue;
    }
    if (node.category === 'loss' || node.type === 'Labels') continue;
    const exporter = ONNX_EXPORTERS.get(node.type);
    if (!exporter) throw new ModelError('UNSUPPORTED_LAYER', `${node.type} cannot be exported to ONNX`, node.id);
    const nodeInputs = node.inputs.map((i) => tensorOf.get(i.source)!);
    tensorOf.set(node.id, exporter({ b, node, inputs: nodeInputs, params }));
  }

  const outputs: ValueInfoProto[] = [];
  // Identity gives each output a stable name independent of node ids.
  const emit = (tensor: string, kind: string, output: (typeof plan.outputs)[number]) => {
    const name = b.node('Identity', [tensor], b.name(plan.outputs.length === 1 ? kind : `${output.lossId}/${kind}`));
    outputs.push({ name, elemType: TensorDataType.FLOAT, dims: ['batch', ...output.shape] });
  };
  for (const output of plan.outputs) {
    const classifier = output.lossType === 'SoftmaxCrossEntropy';
    const tensor = tensorOf.get(output.source)!;
    if (!classifier) {
      emit(tensor, 'predictions', output);
      continue;
    }
    if (model || !options.softmax) emit(tensor, 'logits', output);
    if (model || options.softmax) emit(b.node('Softmax', [tensor], b.name(`${output.lossId}/softmax`), { axis: { type: 'int', value: -1 } }), 'probabilities', output);
  }
  if (outputs.length === 0) throw new ModelError('INVALID_GRAPH', 'The model has no loss, so there is no output to export');

  return {
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: 'CyxWiz',
    producerVersion: '0.1.0',
    ...(options.docString ? { docString: options.docString } : {}),
    metadata: {
      layout: 'inputs and outputs are [batch, ...shape]; images NHWC',
      ...(model ? { input: inputNote(model), ...modelMetadataEntries(model) } : {}),
    },
    graph: { name: options.name ?? 'cyxwiz_model', nodes: b.nodes, initializers: b.initializers, inputs, outputs },
  };
}

/** The `input` metadata entry: categorical columns are encoded before the graph, so say how. */
function inputNote(model: ModelMetadata): string {
  const filled = model.preprocessing.fill ? ', a NaN feature first taking its training mean (its "fill")' : '';
  const scaled = `the preprocessing below is applied inside the graph${filled}`;
  if (!model.inputColumns?.some((c) => c.kind === 'categorical')) return `raw features: ${scaled}`;
  return `encoded features: each input_columns entry gives one value in order, a numeric column as is, a categorical one as 0/1 per category (one-hot) or its category's position (index), in its categories' order; ${scaled}`;
}

/**
 * (x - offset) / divisor as two nodes with [...shape] constants, broadcast over the batch; with a
 * missing-value fill, Where(IsNaN(x), fill, x) first, so a NaN feature takes its training mean.
 */
function scaledInput(b: OnnxGraphBuilder, raw: string, shape: readonly number[], model: ModelMetadata): string {
  const width = shape.reduce((a, d) => a * d, 1);
  const got = preprocessingWidth(model.preprocessing);
  if (got !== width) throw new ModelError('INVALID_GRAPH', `The preprocessing was fitted on ${got} features but the model's Input takes ${width}`);
  const fill = model.preprocessing.fill;
  const input = fill
    ? b.node('Where', [b.node('IsNaN', [raw], b.name('preprocessing/missing')), b.floatInitializer('preprocessing/fill', shape, Float32Array.from(fill)), raw], b.name('preprocessing/filled'))
    : raw;
  const constants = preprocessingConstants(model.preprocessing);
  if (!constants) return input;
  const centred = b.node('Sub', [input, b.floatInitializer('preprocessing/offset', shape, constants.offset)], b.name('preprocessing/centred'));
  return b.node('Div', [centred, b.floatInitializer('preprocessing/divisor', shape, constants.divisor)], b.name('preprocessing/scaled'));
}

/** Serialises the model to ONNX protobuf bytes, ready to save as `model.onnx`. */
export function exportOnnx(plan: ModelPlan, params: ParameterSet, options: OnnxExportOptions = {}): Uint8Array {
  return encodeModel(buildOnnxModel(plan, params, options));
}
