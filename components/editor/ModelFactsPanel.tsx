'use client';

import { useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { modelFacts } from '@/compute/model-facts';
import { graphStoreFor } from '../training/graph-store';
import { formatBytes } from '../ui/format-bytes';
import { compactCount } from './facts-format';

/** Size and cost of the model as it stands: parameters, FLOPs per sample, memory; per layer on demand. */
export function ModelFactsPanel({ doc }: { doc: Y.Doc }) {
  const store = graphStoreFor(doc);
  const { graph } = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const facts = useMemo(() => modelFacts(graph), [graph]);
  return (
    <section className="side-section model-facts" aria-labelledby="facts-heading">
      <h2 id="facts-heading">Model facts</h2>
      {!facts.ok ? (
        <p className="muted">Shown once the graph has no problems.</p>
      ) : (
        <>
          <dl className="facts-list" data-testid="model-facts">
            <dt>Parameters</dt>
            <dd data-testid="facts-params">
              {facts.totals.params.toLocaleString('en-US')}
              {facts.totals.nonTrainableParams > 0 ? ` (${facts.totals.nonTrainableParams.toLocaleString('en-US')} not trained)` : ''}
            </dd>
            <dt>FLOPs per sample</dt>
            <dd data-testid="facts-flops" title="A multiply-add counts as 2 FLOPs; training is forward + backward">
              {compactCount(facts.totals.forwardFlops)} forward, {compactCount(facts.totals.trainingFlops)} training
            </dd>
            <dt>Weights</dt>
            <dd>
              {formatBytes(facts.totals.weightBytes)} ({formatBytes(facts.totals.weightAndAdamBytes)} with Adam&apos;s state)
            </dd>
            <dt>Activations per sample</dt>
            <dd>{formatBytes(facts.totals.activationBytes)}</dd>
          </dl>
          <details>
            <summary>Per layer</summary>
            <table className="table compact" aria-label="Model facts per layer">
              <thead>
                <tr>
                  <th scope="col">Layer</th>
                  <th scope="col">Output</th>
                  <th scope="col" className="numeric">
                    Params
                  </th>
                  <th scope="col" className="numeric">
                    FLOPs
                  </th>
                  <th scope="col" className="numeric">
                    Activations
                  </th>
                </tr>
              </thead>
              <tbody>
                {facts.layers.map((layer) => (
                  <tr key={layer.nodeId}>
                    <td>{layer.label}</td>
                    <td>{layer.outputShape ? `[${layer.outputShape.join(', ')}]` : '—'}</td>
                    <td className="numeric">{layer.params.toLocaleString('en-US')}</td>
                    <td className="numeric">{compactCount(layer.forwardFlops)}</td>
                    <td className="numeric">{formatBytes(layer.activationBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
