'use client';

import { useState } from 'react';
import type { ClassificationMetrics, RegressionMetrics } from '@/compute/eval';
import { DecisionBoundaryPlot } from './DecisionBoundaryPlot';
import type { EvaluationReport, SamplePrediction, SplitEvaluation } from './protocol';
import { RocChart } from './RocChart';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * Confusion matrix as a heat-map grid: rows are the true class, columns the predicted one. With
 * `shares`, each cell is its share of the row (how a true class was predicted), tinted by that share.
 */
function ConfusionMatrix({ confusion, shares, names }: { confusion: number[][]; shares?: readonly (readonly number[] | null)[]; names: readonly string[] }) {
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
                const rowShare = shares ? (shares[r]?.[c] ?? null) : null;
                const share = shares ? (rowShare ?? 0) : count / max;
                const diagonal = r === c;
                // Diagonal (correct) cells are tinted green, mistakes red, by their share of the largest cell (or of the row).
                const background = count === 0 ? 'transparent' : diagonal ? `rgba(22, 163, 74, ${0.15 + 0.75 * share})` : `rgba(220, 38, 38, ${0.15 + 0.75 * share})`;
                const text = shares ? (rowShare === null ? '—' : `${(rowShare * 100).toFixed(0)}%`) : String(count);
                return (
                  <td key={c} style={{ background }} className={share > 0.55 ? 'strong' : undefined} title={`true ${names[r] ?? r}, predicted ${names[c] ?? c}: ${count}${rowShare === null ? '' : ` (${pct(rowShare)} of the row)`}`}>
                    {text}
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
  // The row as written (digits: 0-16), shaded against its own brightest pixel.
  const top = Math.max(1e-9, ...features);
  const shade = (v: number) => Math.round(255 * (1 - Math.min(1, Math.max(0, v / top))));
  return (
    <svg viewBox="0 0 8 8" width={40} height={40} className="digit" role="img" aria-label="8 by 8 input image">
      {features.map((v, i) => (
        <rect key={i} x={i % 8} y={Math.floor(i / 8)} width={1} height={1} fill={`rgb(${shade(v)}, ${shade(v)}, ${shade(v)})`} />
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

function ConfusionSection({ confusion, shares, names }: { confusion: number[][]; shares: readonly (readonly number[] | null)[] | undefined; names: readonly string[] }) {
  const [normalised, setNormalised] = useState(false);
  return (
    <>
      <div className="eval-heading">
        <h4>Confusion matrix</h4>
        {shares ? (
          <div className="toggle-group" role="group" aria-label="Confusion matrix values">
            <button type="button" className="link-button" aria-pressed={!normalised} onClick={() => setNormalised(false)}>
              counts
            </button>
            <button type="button" className="link-button" aria-pressed={normalised} onClick={() => setNormalised(true)}>
              share of true class
            </button>
          </div>
        ) : null}
      </div>
      <ConfusionMatrix confusion={confusion} shares={normalised ? shares : undefined} names={names} />
    </>
  );
}

const ZERO_DIVISION_NOTE = '0/0, shown as 0 (as scikit-learn does)';

/** scikit-learn's classification report: per-class rows, then macro and weighted averages. */
function ClassReport({ metrics, names }: { metrics: ClassificationMetrics; names: readonly string[] }) {
  const { perClass, macro, weighted } = metrics.report;
  const flagged = perClass.some((m) => m.inAverages && (m.precisionUndefined || m.recallUndefined));
  const absent = perClass.some((m) => !m.inAverages);
  return (
    <div className="table-scroll">
      <table className="data-table class-report">
        <caption>Per-class precision, recall (per-class accuracy) and F1</caption>
        <thead>
          <tr>
            <th scope="col">class</th>
            <th scope="col">precision</th>
            <th scope="col">recall</th>
            <th scope="col">F1</th>
            <th scope="col">support</th>
          </tr>
        </thead>
        <tbody>
          {perClass.map((m, k) =>
            m.inAverages ? (
              <tr key={k}>
                <th scope="row">{names[k] ?? k}</th>
                <td title={m.precisionUndefined ? `never predicted: precision ${ZERO_DIVISION_NOTE}` : undefined}>
                  {pct(m.precision)}
                  {m.precisionUndefined ? '*' : ''}
                </td>
                <td title={m.recallUndefined ? `no examples: recall ${ZERO_DIVISION_NOTE}` : undefined}>
                  {pct(m.recall)}
                  {m.recallUndefined ? '*' : ''}
                </td>
                <td>{pct(m.f1)}</td>
                <td>{m.support}</td>
              </tr>
            ) : (
              <tr key={k} className="absent">
                <th scope="row">{names[k] ?? k}</th>
                <td colSpan={3}>not in these examples, nor predicted</td>
                <td>0</td>
              </tr>
            ),
          )}
        </tbody>
        <tfoot>
          {macro ? (
            <tr>
              <th scope="row">macro avg</th>
              <td>{pct(macro.precision)}</td>
              <td>{pct(macro.recall)}</td>
              <td>{pct(macro.f1)}</td>
              <td>{macro.support}</td>
            </tr>
          ) : null}
          {weighted ? (
            <tr>
              <th scope="row">weighted avg</th>
              <td>{pct(weighted.precision)}</td>
              <td>{pct(weighted.recall)}</td>
              <td>{pct(weighted.f1)}</td>
              <td>{weighted.support}</td>
            </tr>
          ) : null}
        </tfoot>
      </table>
      {flagged ? <p className="table-note">* {ZERO_DIVISION_NOTE}: a class never predicted has no precision, one with no examples no recall.</p> : null}
      {absent ? <p className="table-note">Classes neither present nor predicted are left out of the macro average.</p> : null}
    </div>
  );
}

function RegressionReport({ metrics }: { metrics: RegressionMetrics }) {
  const num = (x: number | null) => (x === null ? '—' : x.toPrecision(4));
  return (
    <table className="data-table regression-report">
      <caption>Regression errors</caption>
      <tbody>
        <tr>
          <th scope="row">mean squared error</th>
          <td>{num(metrics.mse)}</td>
        </tr>
        <tr>
          <th scope="row">mean absolute error</th>
          <td>{num(metrics.mae)}</td>
        </tr>
        <tr>
          <th scope="row">R²</th>
          <td title={metrics.r2 === null ? 'the targets do not vary, so R² has no value' : undefined}>{num(metrics.r2)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** One split's numbers; `split` names it in the summary line. */
function SplitView({ report, split }: { report: SplitEvaluation; split: string }) {
  const names = report.classNames;
  const metrics = report.metrics;
  const classification = metrics.task === 'classification' ? metrics : null;
  return (
    <>
      <p>
        {split}: <strong>{pct(report.accuracy)}</strong> accuracy, loss {report.loss.toFixed(4)} on {report.samples} examples.
      </p>
      {metrics.task === 'unavailable' ? (
        <p className="form-error" role="alert">
          No precision, recall or ROC: {metrics.message}
        </p>
      ) : null}
      {metrics.task === 'regression' ? <RegressionReport metrics={metrics} /> : null}
      {classification ? <ClassReport metrics={classification} names={names} /> : null}
      {/* compute/eval's matrix when there is one, so counts and shares come from the same predictions. */}
      {classification || report.confusion ? <ConfusionSection confusion={classification?.confusion ?? report.confusion!} shares={classification?.confusionNormalised} names={names} /> : null}
      {classification || report.boundary ? (
        <div className="chart-row eval-charts">
          {classification ? <RocChart roc={classification.roc} names={names} /> : null}
          {report.boundary ? <DecisionBoundaryPlot plot={report.boundary} names={names} /> : null}
        </div>
      ) : null}
      {!classification && report.perClassAccuracy ? (
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
    </>
  );
}

/** The validation split's evaluation, with a switch to the held-out test split when the run kept one. */
export function EvaluationView({ report }: { report: EvaluationReport }) {
  const [split, setSplit] = useState<'validation' | 'test'>('validation');
  const test = report.test;
  const showTest = split === 'test' && test !== null;
  return (
    <section className="evaluation" aria-label="Evaluation" data-testid="evaluation">
      {test ? (
        <div className="toggle-group" role="group" aria-label="Split to show">
          <button type="button" className="link-button" aria-pressed={!showTest} onClick={() => setSplit('validation')}>
            validation ({report.samples})
          </button>
          <button type="button" className="link-button" aria-pressed={showTest} onClick={() => setSplit('test')}>
            test ({test.samples})
          </button>
        </div>
      ) : null}
      <SplitView key={showTest ? 'test' : 'validation'} report={showTest ? test : report} split={showTest ? 'Test' : 'Validation'} />
    </section>
  );
}
