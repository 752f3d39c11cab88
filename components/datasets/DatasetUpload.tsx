'use client';

import { useRef, useState, type DragEvent } from 'react';
import { MissingPolicySelect } from './reading-selects';
import { isUploadError, uploadDataset, type UploadError, type UploadHandle } from './upload-dataset';

type State = { kind: 'idle' } | { kind: 'uploading'; fraction: number; names: string } | { kind: 'failed'; error: UploadError; names: string };

/**
 * A drop zone (or file picker) for a CSV, or an IDX examples file with its labels file. Progress is
 * the bytes sent; after that the server parses the file, and refusals name the row and column.
 */
export function DatasetUpload({ onUploaded }: { onUploaded: (id: string) => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const [missing, setMissing] = useState('refuse');
  const input = useRef<HTMLInputElement>(null);
  const current = useRef<UploadHandle | null>(null);

  function start(list: FileList | null) {
    const files = list ? [...list] : [];
    if (files.length === 0) return;
    const names = files.map((f) => f.name).join(' + ');
    if (files.length > 2) {
      setState({ kind: 'failed', names, error: { code: 'TOO_MANY_FILES', message: 'Upload one CSV, or an IDX examples file together with its labels file.' } });
      return;
    }
    setState({ kind: 'uploading', fraction: 0, names });
    const handle = uploadDataset(files, (fraction) => setState({ kind: 'uploading', fraction, names }), missing);
    current.current = handle;
    handle.done.then(
      (dataset) => {
        setState({ kind: 'idle' });
        onUploaded(dataset.id);
      },
      (error: unknown) => setState({ kind: 'failed', names, error: isUploadError(error) ? error : { code: 'UPLOAD_FAILED', message: 'The upload failed. Please try again.' } }),
    );
    if (input.current) input.current.value = '';
  }

  function onDrop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    if (state.kind !== 'uploading') start(event.dataTransfer.files);
  }

  const uploading = state.kind === 'uploading';
  return (
    <section className="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a dataset</h2>
      <label
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <input ref={input} type="file" className="visually-hidden" aria-label="Dataset file" accept=".csv,.txt,.idx,.idx1-ubyte,.idx3-ubyte,.ubyte" multiple disabled={uploading} onChange={(e) => start(e.target.files)} />
        <strong>Drop a CSV here, or choose a file</strong>
        <span className="hint">Numbers or categories (text columns), one label column (the last by default); a header row, none, or scikit-learn&apos;s. For IDX, drop the examples file and its labels file together. Up to 20 MiB.</span>
      </label>
      <div className="field">
        <label htmlFor="upload-missing">Missing values</label>
        <MissingPolicySelect id="upload-missing" value={missing} onChange={setMissing} disabled={uploading} />
      </div>
      {state.kind === 'uploading' ? (
        <div className="upload-progress" role="status" aria-live="polite">
          <progress max={1} value={state.fraction} aria-label={`Uploading ${state.names}`} />
          <span>{state.fraction < 1 ? `Uploading ${state.names}: ${Math.round(state.fraction * 100)}%` : `Checking ${state.names}…`}</span>
          <button type="button" className="button" onClick={() => current.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : null}
      {state.kind === 'failed' ? (
        <div className="form-error" role="alert" data-testid="upload-error">
          <strong>{state.names} was not uploaded.</strong> {state.error.message}
          {state.error.row !== undefined ? (
            <span className="error-location">
              {' '}
              (row {state.error.row}
              {state.error.column !== undefined ? `, column ${state.error.column}${state.error.columnName ? ` “${state.error.columnName}”` : ''}` : ''})
            </span>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
