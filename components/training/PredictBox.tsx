'use client';

import { useState } from 'react';
import { columnList, type InputColumn } from '@/compute/data';
import { download } from './onnx-check';
import { parsePredictRows, predictionsCsv, type RowPrediction } from './predict-rows';
import type { TrainerClient } from './trainer-client';

/** Rows shown in the table; the downloaded CSV has them all. */
const SHOWN_ROWS = 50;

interface PredictBoxProps {
  readonly client: TrainerClient;
  /** Features the model takes (its preprocessing's width): the raw values per row when there are no `columns`. */
  readonly width: number;
  readonly classNames: readonly string[];
  /** The raw columns a row gives (categorical ones encoded here as in training); null: `width` numeric values. */
  readonly columns: readonly InputColumn[] | null;
  /** The run's preprocessing fills a missing value with its training mean (the data's 'mean' policy): empty cells are accepted. */
  readonly fillsMissing: boolean;
}

/** Categories listed per column in the hint; the error for an unknown one lists them too. */
const HINT_CATEGORIES = 6;

function categoriesHint(columns: readonly InputColumn[]): string | null {
  const parts = columns.flatMap((c) =>
    c.kind === 'categorical' ? [`${c.name}: ${c.categories.slice(0, HINT_CATEGORIES).join(' / ')}${c.categories.length > HINT_CATEGORIES ? ` / … (${c.categories.length})` : ''}`] : [],
  );
  return parts.length ? `Categories as the file writes them: ${parts.join('; ')}` : null;
}

/** Type a row or choose a CSV of rows: the current run's class and probabilities per row, as a table and a CSV. */
export function PredictBox({ client, width, classNames, columns, fillsMissing }: PredictBoxProps) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ cells: string[][]; predictions: RowPrediction[] } | null>(null);

  const predict = async () => {
    setError(null);
    setBusy(true);
    try {
      // A chosen file wins over the typed row; clearing the file goes back to the typed row.
      const parsed = parsePredictRows(file ? await file.text() : text, columns ?? width, fillsMissing ? 'fill' : 'refuse');
      if (!parsed.ok) {
        setError(parsed.message);
        setResult(null);
        return;
      }
      setResult({ cells: parsed.cells, predictions: await client.predict(parsed.rows) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  const classes = result?.predictions[0]?.probabilities.length ?? classNames.length;
  const nameOf = (c: number) => classNames[c] ?? String(c);
  const count = columns?.length ?? width;
  const names = columns ? columns.map((c) => c.name) : Array.from({ length: width }, (_, i) => `x${i + 1}`);
  const hint = columns ? categoriesHint(columns) : null;
  return (
    <section className="predict-box" aria-label="Predict">
      <h3>Predict</h3>
      <label>
        Row to predict ({count} raw values, comma-separated{columns ? `: ${columnList(columns)}` : ''}){' '}
        <input data-testid="predict-row" value={text} onChange={(e) => setText(e.target.value)} placeholder={names.slice(0, 4).join(', ') + (count > 4 ? ', …' : '')} />
      </label>
      {fillsMissing ? (
        <p className="hint" data-testid="predict-fills-missing">
          A missing value (an empty cell, NA, NaN…) takes its column&apos;s training mean, as it did in training.
        </p>
      ) : null}
      {hint ? (
        <p className="hint" data-testid="predict-categories">
          {hint}
        </p>
      ) : null}
      <label>
        or a CSV of rows <input type="file" accept=".csv,text/csv,text/plain" data-testid="predict-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <div className="button-row">
        <button type="button" className="button secondary" data-testid="predict-button" disabled={busy} onClick={() => void predict()}>
          {busy ? 'Predicting…' : 'Predict'}
        </button>
        {result ? (
          <button type="button" className="button secondary" data-testid="predictions-download" onClick={() => download('predictions.csv', new TextEncoder().encode(predictionsCsv(result.cells, result.predictions, classNames, names)), 'text/csv')}>
            Download predictions CSV
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="predict-error">
          {error}
        </p>
      ) : null}
      {result ? (
        <table className="data-table" data-testid="predictions">
          <caption>
            Predictions for {result.cells.length} {result.cells.length === 1 ? 'row' : 'rows'}
            {result.cells.length > SHOWN_ROWS ? ` (first ${SHOWN_ROWS} shown; the CSV has all)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">row</th>
              <th scope="col">predicted</th>
              {Array.from({ length: classes }, (_, c) => (
                <th scope="col" key={c}>
                  p({nameOf(c)})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.predictions.slice(0, SHOWN_ROWS).map((p, i) => (
              <tr key={i} data-testid="prediction" data-class={p.className}>
                <td>{i + 1}</td>
                <td data-testid="predicted-class">{p.className}</td>
                {p.probabilities.map((q, c) => (
                  <td key={c}>{q.toFixed(3)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
