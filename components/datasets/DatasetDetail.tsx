'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { messageOf, useTRPC } from '../trpc/client';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Loading } from '../ui/Spinner';
import { AttachToModelForm } from './AttachToModelForm';
import { ColumnStatsTable } from './ColumnStatsTable';
import { DatasetSettingsForm } from './DatasetSettingsForm';
import { formatBytes } from '../ui/format-bytes';
import { PreviewTable } from './PreviewTable';

/** One dataset: its facts, training settings, first rows and column statistics. */
export function DatasetDetail({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dataset = useQuery(trpc.datasets.get.queryOptions({ id }));
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.datasets.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        onDeleted();
        await queryClient.invalidateQueries({ queryKey: trpc.datasets.list.pathKey() });
      },
    }),
  );

  if (dataset.isPending) return <Loading label="Loading the preview…" />;
  if (dataset.isError) return <p className="form-error" role="alert">{messageOf(dataset.error)}</p>;
  const d = dataset.data;
  const owned = !d.builtin && d.mine;
  return (
    <section className="panel" aria-labelledby="dataset-heading">
      <div className="panel-title">
        <h2 id="dataset-heading">{d.name}</h2>
        {owned ? (
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Delete dataset
          </button>
        ) : null}
      </div>
      {d.builtin ? (
        <p className="muted">
          {d.description} {d.source === 'generated' ? 'Generated in the browser from a fixed seed.' : "Ships with CyxWiz, copied from scikit-learn (BSD 3-Clause; the UCI data is CC BY 4.0)."}
        </p>
      ) : null}
      <dl className="facts" aria-label="Summary">
        <dt>Rows</dt>
        <dd data-testid="dataset-rows">{d.rows.toLocaleString('en-US')}</dd>
        <dt>Columns</dt>
        <dd data-testid="dataset-columns">{d.columns}</dd>
        <dt>Classes</dt>
        <dd data-testid="dataset-classes">{d.numClasses ?? 'none (no labels)'}</dd>
        <dt>Example shape</dt>
        <dd>[{d.featureShape.join(', ')}]</dd>
        {!d.builtin ? (
          <>
            <dt>Format</dt>
            <dd>
              {d.kind.toUpperCase()}, {formatBytes(d.bytes)}
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code>{d.sha256}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {owned ? (
        <DatasetSettingsForm
          key={d.id}
          id={d.id}
          columnNames={d.columnNames}
          labelColumn={d.labelColumn}
          validationSplit={d.validationSplit}
          preprocessing={d.preprocessing}
          labelFixed={d.kind !== 'csv'}
          reading={d.reading}
          detectedTypes={d.preview.stats.map((s) => s.type)}
        />
      ) : null}
      {!d.builtin && d.droppedRows > 0 ? <p className="muted" data-testid="dataset-dropped-rows">{d.droppedRows.toLocaleString('en-US')} rows with missing values are left out.</p> : null}
      <AttachToModelForm datasetId={d.id} />
      <h3>Preview</h3>
      <PreviewTable columnNames={d.columnNames} rows={d.preview.rows} labelColumn={d.labelColumn} totalRows={d.rows} />
      <h3>Statistics</h3>
      <ColumnStatsTable stats={d.preview.stats} labelColumn={d.labelColumn} />
      {confirming ? (
        <ConfirmDialog
          title={`Delete “${d.name}”?`}
          confirmLabel="Delete dataset"
          pending={remove.isPending}
          error={remove.isError ? messageOf(remove.error) : null}
          onConfirm={() => remove.mutate({ id: d.id })}
          onCancel={() => setConfirming(false)}
        >
          <p>The file is deleted, and models that train on it no longer have a dataset. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
