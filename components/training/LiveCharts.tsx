'use client';

import { LineChart } from './LineChart';
import type { LocalRun } from './trainer-client';

const pctFormat = (y: number) => `${Math.round(y * 100)}%`;

/** Loss and accuracy, training (batch samples) and validation (per epoch), against the step. */
export function LiveCharts({ run }: { run: LocalRun }) {
  const trainLoss = run.batchPoints.flatMap((p) => (p.loss === null ? [] : [[p.step, p.loss] as const]));
  const trainAcc = run.batchPoints.flatMap((p) => (p.accuracy === null ? [] : [[p.step, p.accuracy] as const]));
  const valLoss = run.epochPoints.flatMap((p) => (p.valLoss === null ? [] : [[p.step, p.valLoss] as const]));
  const valAcc = run.epochPoints.flatMap((p) => (p.valAccuracy === null ? [] : [[p.step, p.valAccuracy] as const]));
  return (
    <div className="chart-row">
      <LineChart
        title="Loss"
        description={`Training loss over ${trainLoss.length} samples and validation loss after ${valLoss.length} epochs, by optimizer step.`}
        xLabel="step"
        series={[
          { name: 'train loss', color: '#2563eb', points: trainLoss },
          { name: 'validation loss', color: '#dc2626', points: valLoss, dashed: true },
        ]}
        testId="loss-chart"
      />
      <LineChart
        title="Accuracy"
        description={`Training accuracy over ${trainAcc.length} samples and validation accuracy after ${valAcc.length} epochs, by optimizer step.`}
        xLabel="step"
        series={[
          { name: 'train accuracy', color: '#16a34a', points: trainAcc },
          { name: 'validation accuracy', color: '#d97706', points: valAcc, dashed: true },
        ]}
        yDomain={[0, 1]}
        formatY={pctFormat}
        testId="accuracy-chart"
      />
    </div>
  );
}
