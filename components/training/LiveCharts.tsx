'use client';

import { CHART_COLORS, inferStepsPerEpoch } from '../charts/chart-data';
import { MetricChart } from '../charts/MetricChart';
import type { LocalRun } from './trainer-client';

const pctFormat = (y: number) => `${Math.round(y * 100)}%`;

/** Loss and accuracy, training (batch samples) and validation (per epoch), against the step or the epoch. */
export function LiveCharts({ run }: { run: LocalRun }) {
  const trainLoss = run.batchPoints.flatMap((p) => (p.loss === null ? [] : [[p.step, p.loss] as const]));
  const trainAcc = run.batchPoints.flatMap((p) => (p.accuracy === null ? [] : [[p.step, p.accuracy] as const]));
  const valLoss = run.epochPoints.flatMap((p) => (p.valLoss === null ? [] : [[p.step, p.valLoss] as const]));
  const valAcc = run.epochPoints.flatMap((p) => (p.valAccuracy === null ? [] : [[p.step, p.valAccuracy] as const]));
  // A run loaded back from its saved history has no batch count: its epochs tell.
  const stepsPerEpoch = run.batchesPerEpoch > 0 ? run.batchesPerEpoch : inferStepsPerEpoch(run.epochPoints);
  return (
    <div className="chart-row">
      <MetricChart
        title="Loss"
        description={`Training loss over ${trainLoss.length} samples and validation loss after ${valLoss.length} epochs, by optimizer step.`}
        series={[
          { name: 'train loss', color: CHART_COLORS[0], points: trainLoss },
          { name: 'validation loss', color: CHART_COLORS[1], points: valLoss, dashed: true },
        ]}
        stepsPerEpoch={stepsPerEpoch}
        testId="loss-chart"
      />
      <MetricChart
        title="Accuracy"
        description={`Training accuracy over ${trainAcc.length} samples and validation accuracy after ${valAcc.length} epochs, by optimizer step.`}
        series={[
          { name: 'train accuracy', color: CHART_COLORS[2], points: trainAcc },
          { name: 'validation accuracy', color: CHART_COLORS[3], points: valAcc, dashed: true },
        ]}
        stepsPerEpoch={stepsPerEpoch}
        yDomain={[0, 1]}
        formatY={pctFormat}
        testId="accuracy-chart"
      />
    </div>
  );
}
