'use client';

import { useState } from 'react';
import { checkOnnx, download, ONNX_TOLERANCE, type OnnxCheckResult } from './onnx-check';
import type { ExportFormat } from './protocol';
import type { TrainerClient } from './trainer-client';

type Check = { state: 'running' } | { state: 'done'; result: OnnxCheckResult } | { state: 'failed'; message: string };

/** Downloads (ONNX, PyTorch code, safetensors weights) and the in-page onnxruntime-web check. */
export function ExportBox({ client, disabled }: { client: TrainerClient; disabled: boolean }) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<Check | null>(null);

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      const { files, check: data } = await client.export(format);
      for (const f of files) download(f.name, f.bytes, f.mime);
      if (format === 'onnx' && data && files[0]) {
        setCheck({ state: 'running' });
        try {
          setCheck({ state: 'done', result: await checkOnnx(files[0].bytes, data) });
        } catch (e) {
          setCheck({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
        }
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="export-box" aria-label="Export">
      <div className="button-row">
        <button type="button" className="button secondary" disabled={disabled || busy !== null} onClick={() => void run('onnx')}>
          {busy === 'onnx' ? 'Exporting…' : 'Export ONNX'}
        </button>
        <button type="button" className="button secondary" disabled={disabled || busy !== null} onClick={() => void run('pytorch')}>
          PyTorch code
        </button>
        <button type="button" className="button secondary" disabled={disabled || busy !== null} onClick={() => void run('safetensors')}>
          Weights (.safetensors)
        </button>
      </div>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      {check ? (
        <p className={check.state === 'done' ? (check.result.pass ? 'check pass' : 'check fail') : 'check'} role="status" data-testid="onnx-check">
          {check.state === 'running'
            ? 'Running the ONNX file in onnxruntime-web…'
            : check.state === 'failed'
              ? `onnxruntime-web check failed: ${check.message}`
              : `onnxruntime-web check ${check.result.pass ? 'passed' : 'FAILED'}: raw validation rows through the exported preprocessing and model, max |difference| ${check.result.maxAbsDiff.toExponential(2)} in ${check.result.outputs.join(' and ')} over ${check.result.examples} examples (limit ${ONNX_TOLERANCE.toExponential(0)})`}
        </p>
      ) : null}
    </section>
  );
}
