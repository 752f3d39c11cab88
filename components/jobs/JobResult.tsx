'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { Graph } from '@/compute/graph/types';
import { download } from '../training/onnx-check';
import { messageOf, useTRPC } from '../trpc/client';
import { jobResultFiles, type ResultFormat } from './job-exports';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

async function weightsOf(runId: string): Promise<Uint8Array> {
  const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/weights`);
  if (!res.ok) throw new Error(`Could not fetch the trained weights (${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * A completed job's trained model: its saved run's scores, the downloads (the weights as stored;
 * ONNX and PyTorch built here in the page from the job's graph and those weights) and "continue
 * in this tab", which opens the editor with the run loaded into its training panel.
 */
export function JobResult({ runId, modelId, graph }: { runId: string; modelId: string; graph: Graph | null }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.runs.get.queryOptions({ id: runId }));
  const [busy, setBusy] = useState<ResultFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  const exportAs = async (format: ResultFormat) => {
    if (!graph || !run.data) return;
    setBusy(format);
    setError(null);
    try {
      const files = jobResultFiles({ graph, weights: await weightsOf(runId), config: run.data.config }, format);
      for (const f of files) download(f.name, f.bytes, f.mime);
    } catch (e) {
      setError(`Could not export: ${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  };
  const exportReady = graph !== null && run.isSuccess && busy === null;

  return (
    <section aria-labelledby="job-result" className="panel job-result" data-testid="job-result">
      <h2 id="job-result">The trained model</h2>
      {run.isSuccess ? (
        <p data-testid="job-result-summary">
          Saved as the run “{run.data.name}” of the model: validation accuracy {pct(run.data.finalAccuracy)} after {run.data.steps.toLocaleString()} steps.
        </p>
      ) : run.isError ? (
        <p className="form-error" role="alert">{messageOf(run.error)}</p>
      ) : null}
      <div className="button-row">
        <button type="button" className="button secondary" disabled={!exportReady} onClick={() => void exportAs('onnx')} data-testid="download-onnx">
          {busy === 'onnx' ? 'Exporting…' : 'ONNX'}
        </button>
        <button type="button" className="button secondary" disabled={!exportReady} onClick={() => void exportAs('pytorch')} data-testid="download-pytorch">
          {busy === 'pytorch' ? 'Exporting…' : 'PyTorch code'}
        </button>
        <a className="button secondary" href={`/api/runs/${encodeURIComponent(runId)}/weights`} download data-testid="download-weights">
          Weights (.safetensors)
        </a>
        <Link className="button primary" href={`/models/${modelId}?run=${encodeURIComponent(runId)}`} data-testid="continue-in-tab">
          Continue in this tab
        </Link>
      </div>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <p className="muted">
        ONNX takes raw rows (the run’s feature scaling is inside the file) and gives logits and probabilities; PyTorch code is model.py (the module, loading these weights) and train.py. In the editor the run loads
        into the tab, where you evaluate it, predict with it, or train it further.
      </p>
    </section>
  );
}
