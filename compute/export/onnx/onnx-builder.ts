import type { FloatArray } from '../../model/tensor';
import type { AttributeValue, NodeProto, TensorProto } from './onnx-proto';
import { TensorDataType } from './onnx-proto';

/** Collects nodes and initializers while layers are converted, handing out unique tensor names. */
export class OnnxGraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<number, string>();

  /** Reserves a name; if taken, appends `_2`, `_3`, … so user node ids can never clash with ours. */
  name(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.used.has(name); i++) name = `${wanted}_${i}`;
    this.used.add(name);
    return name;
  }

  node(opType: string, inputs: readonly string[], output: string, attributes?: Record<string, AttributeValue>): string {
    this.nodes.push({ name: output, opType, inputs, outputs: [output], ...(attributes ? { attributes } : {}) });
    return output;
  }

  floatInitializer(wanted: string, dims: readonly number[], values: ArrayLike<number>): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(wanted, dims, TensorDataType.FLOAT, littleEndian(data, 4, (view, i, v) => view.setFloat32(i, v, true)));
  }

  int64Initializer(wanted: string, values: readonly number[]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    return this.initializer(wanted, [values.length], TensorDataType.INT64, bytes);
  }

  /** A scalar float constant, shared between every use of the same value. */
  scalar(value: number): string {
    const existing = this.constants.get(value);
    if (existing) return existing;
    const name = this.floatInitializer(`const/${value}`, [], [value]);
    this.constants.set(value, name);
    return name;
  }

  private initializer(wanted: string, dims: readonly number[], dataType: TensorProto['dataType'], raw: Uint8Array): string {
    const name = this.name(wanted);
    this.initializers.push({ name, dims, dataType, raw });
    return name;
  }
}

function littleEndian(data: FloatArray | Float32Array, width: number, set: (view: DataView, offset: number, v: number) => void): Uint8Array {
  const bytes = new Uint8Array(data.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) set(view, i * width, data[i]!);
  return bytes;
}

/** Conv weights from our HWIO [kh, kw, in, out] to ONNX's OIHW [out, in, kh, kw]. */
export function hwioToOihw(w: ArrayLike<number>, k: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let kh = 0; kh < k; kh++) {
    for (let kw = 0; kw < k; kw++) {
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) out[((co * cin + ci) * k + kh) * k + kw] = w[((kh * k + kw) * cin + ci) * cout + co]!;
      }
    }
  }
  return out;
}
