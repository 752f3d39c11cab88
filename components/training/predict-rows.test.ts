import { describe, expect, it } from 'vitest';
import { mlpClassifier } from '@/compute/graph';
import { buildModelPlan, forward, initParameters } from '@/compute/model';
import type { Preprocessing } from '@/compute/data/preprocessing';
import { parsePredictRows, predictionsCsv, predictRows } from './predict-rows';

describe('parsePredictRows', () => {
  it('reads a typed row, several lines, and a CSV with a header', () => {
    expect(parsePredictRows('5.1, 3.5,1.4,0.2', 4)).toEqual({ ok: true, rows: [[5.1, 3.5, 1.4, 0.2]] });
    expect(parsePredictRows('a,b,c,d\n1,2,3,4\r\n\n5,6,7,8e-1\n', 4)).toEqual({ ok: true, rows: [[1, 2, 3, 4], [5, 6, 7, 0.8]] });
  });

  it('refuses empty input, a wrong width and a non-number with their line', () => {
    expect(parsePredictRows('  \n', 4)).toMatchObject({ ok: false, code: 'PREDICT_NO_ROWS' });
    expect(parsePredictRows('1,2,3', 4)).toMatchObject({ ok: false, code: 'PREDICT_ROW_WIDTH', message: 'Line 1 has 3 values; the model takes 4.' });
    expect(parsePredictRows('1,2,3,4\n1,x,3,4', 4)).toMatchObject({ ok: false, code: 'PREDICT_NOT_A_NUMBER', message: expect.stringContaining('Line 2, value 2') });
  });
});

describe('predictRows + predictionsCsv', () => {
  const plan = buildModelPlan(mlpClassifier(2, [5], 3));
  const params = initParameters(plan, { seed: 3 });
  const preprocessing: Preprocessing = { kind: 'standardize', mean: [10, -2], std: [4, 0.5] };
  const logitsOf = (scaled: Float32Array, count: number) => forward(plan, params, { batch: count, inputs: { [plan.inputs[0]!.id]: scaled } }, { training: false }).values.get(plan.outputs[0]!.source)!;

  it('scales raw rows with the run’s preprocessing before the forward pass', () => {
    const rows = [[14, -1.5], [6, -3]];
    const got = predictRows(rows, preprocessing, logitsOf, ['a', 'b', 'c']);
    // By hand: the same rows already scaled, straight through the model.
    const logits = logitsOf(Float32Array.from([1, 1, -1, -2]), 2);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(logits as ArrayLike<number>).slice(r * 3, r * 3 + 3);
      const exps = row.map((v) => Math.exp(v));
      const sum = exps.reduce((a, b) => a + b, 0);
      got[r]!.probabilities.forEach((p, c) => expect(p).toBeCloseTo(exps[c]! / sum, 6));
      expect(got[r]!.predicted).toBe(row.indexOf(Math.max(...row)));
      expect(got[r]!.className).toBe(['a', 'b', 'c'][got[r]!.predicted]);
    }
    expect(got[0]!.probabilities).not.toEqual(predictRows(rows, { kind: 'none', features: 2 }, logitsOf, ['a', 'b', 'c'])[0]!.probabilities);
  });

  it('writes the rows, the class and one probability column per class, quoting names', () => {
    const rows = [[14, -1.5]];
    const [p] = predictRows(rows, preprocessing, logitsOf, ['setosa', 'vers,icolor', 'vir"ginica']);
    const csv = predictionsCsv(rows, [p!], ['setosa', 'vers,icolor', 'vir"ginica'], ['sepal length', 'sepal width']);
    const [header, line] = csv.trimEnd().split('\n');
    expect(header).toBe('sepal length,sepal width,predicted,p(setosa),"p(vers,icolor)","p(vir""ginica)"');
    expect(line!.startsWith('14,-1.5,')).toBe(true);
    expect(line!.split(',').slice(-3).map(Number).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });
});
