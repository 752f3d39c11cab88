'use client';

import type { EvaluationReport, SamplePrediction } from './protocol';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** Confusion matrix as a heat-map grid: rows are the true class, columns the predicted one. */
function ConfusionMatrix({ confusion, names }: { confusion: number[][]; names: readonly string[] }) {
  const max = Math.max(1, ...confusion.flat());
  return (
    <div className="table-scroll">
      <table className="confusion" aria-label="Confusion matrix: rows are true classes, columns predicted classes">
        <thead>
          <tr>
            <th scope="col">true \ predicted</th>
            {confusion.map((_, c) => (
              <th key={c} scope="col">
                {names[c] ?? c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, r) => (
            <tr key={r}>
              <th scope="row">{names[r] ?? r}</th>
              {row.map((count, c) => {
                const share = count / max;
                const diagonal = r === c;
                // Diagonal (correct) cells are tinted green, mistakes red, by their share of the largest cell.
                const background = count === 0 ? 'transparent' : diagonal ? `rgba(22, 163, 74, ${0.15 + 0.75 * share})` : `rgba(220, 38, 38, ${0.15 + 0.75 * share})`;
                return (
                  <td key={c} style={{ background }} className={share > 0.55 ? 'strong' : undefined} title={`true ${names[r] ?? r}, predicted ${names[c] ?? c}: ${count}`}>
                    {count}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An 8x8 grey image (scikit-learn digits) as a tiny grid of cells; features are scaled to [0, 1]. */
function DigitImage({ features }: { features: readonly number[] }) {
  return (
    <svg viewBox="0 0 8 8" width={40} height={40} className="digit" role="img" aria-label="8 by 8 input image">
      {features.map((v, i) => (
        <rect key={i} x={i % 8} y={Math.floor(i / 8)} width={1} height={1} fill={`rgb(${Math.round(255 * (1 - Math.min(1, Math.max(0, v))))}, ${Math.round(255 * (1 - Math.min(1, Math.max(0, v))))}, ${Math.round(255 * (1 - Math.min(1, Math.max(0, v))))})`} />
      ))}
    </svg>
  );
}

function Samples({ predictions, names }: { predictions: readonly SamplePrediction[]; names: readonly string[] }) {
  const digits = predictions[0]?.features.length === 64;
  const name = (k: number) => names[k] ?? String(k);
  return (
    <table className="data-table samples">
      <caption>Sample predictions (validation)</caption>
      <thead>
        <tr>
          <th scope="col">{digits ? 'image' : 'features'}</th>
          <th scope="col">predicted</th>
          <th scope="col">true</th>
          <th scope="col">confidence</th>
        </tr>
      </thead>
      <tbody>
        {predictions.map((p, i) => (
          <tr key={i} className={p.predicted === p.actual ? 'right' : 'wrong'}>
            <td>{digits ? <DigitImage features={p.features} /> : p.features.slice(0, 6).map((f) => f.toFixed(2)).join(', ') + (p.features.length > 6 ? ', …' : '')}</td>
            <td>{name(p.predicted)}</td>
            <td>{name(p.actual)}</td>
            <td>{pct(p.confidence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EvaluationView({ report }: { report: EvaluationReport }) {
  const names = report.classNames;
  return (
    <section className="evaluation" aria-label="Evaluation" data-testid="evaluation">
      <p>
        Validation: <strong>{pct(report.accuracy)}</strong> accuracy, loss {report.loss.toFixed(4)} on {report.samples} examples.
      </p>
      {report.confusion ? (
        <>
          <h4>Confusion matrix</h4>
          <ConfusionMatrix confusion={report.confusion} names={names} />
        </>
      ) : null}
      {report.perClassAccuracy ? (
        <table className="data-table per-class">
          <caption>Per-class accuracy</caption>
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col">accuracy</th>
            </tr>
          </thead>
          <tbody>
            {report.perClassAccuracy.map((a, k) => (
              <tr key={k}>
                <th scope="row">{names[k] ?? k}</th>
                <td>{pct(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.predictions.length > 0 ? <Samples predictions={report.predictions} names={names} /> : null}
    </section>
  );
}
