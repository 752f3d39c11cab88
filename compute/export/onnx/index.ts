export { buildOnnxModel, exportOnnx, ONNX_EXPORTABLE_LAYERS, ONNX_FEATURES_INPUT, ONNX_IR_VERSION, ONNX_OPSET, type OnnxExportOptions } from './export-onnx';
export { encodeModel, TensorDataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnx-proto';
export { ProtoWriter } from './protobuf';
