import { describe, expect, it } from 'vitest';
import { mlpClassifier } from '@/compute/graph';
import { buildModelPlan, forward, initParameters } from '@/compute/model';
import type { Preprocessing } from '@/compute/data/preprocessing';
import { fitPreprocessing } from '@/compute/data/preprocessing';
import { parseCsvTable, type InputColumn } from '@/compute/data';
import { parsePredictRows, predictionsCsv, predictRows } from './predict-rows';

// Rows come back as the float32 features the model is fed.
describe('parsePredictRows', () => {
  it('reads a typed row, several lines, and a CSV with a header', () => {
    expect(parsePredictRows('5.1, 3.5,1.4,0.2', 4)).toEqual({ ok: true, cells: [['5.1', '3.5', '1.4', '0.2']], rows: [[5.1, 3.5, 1.4, 0.2].map(Math.fround)] });
    expect(parsePredictRows('a,b,c,d\n1,2,3,4\r\n\n5,6,7,8e-1\n', 4)).toMatchObject({ ok: true, rows: [[1, 2, 3, 4], [5, 6, 7, Math.fround(0.8)]] });
  });

  it('refuses empty input, a wrong width and a non-number with their line', () => {
    expect(parsePredictRows('  \n', 4)).toMatchObject({ ok: false, code: 'PREDICT_NO_ROWS' });
    expect(parsePredictRows('1,2,3', 4)).toMatchObject({ ok: false, code: 'PREDICT_ROW_WIDTH', message: 'Line 1 has 3 values; the model takes 4.' });
    expect(parsePredictRows('1,2,3,4\n1,x,3,4', 4)).toMatchObject({ ok: false, code: 'PREDICT_NOT_A_NUMBER', message: expect.stringContaining('Line 2, value 2') });
    // A mistyped first row is reported, not taken for a header.
    expect(parsePredictRows('1,x,3,4\n1,2,3,4', 4)).toMatchObject({ ok: false, code: 'PREDICT_NOT_A_NUMBER', message: expect.stringContaining('Line 1, value 2') });
    expect(parsePredictRows('1,"2,3,4', 4)).toMatchObject({ ok: false, code: 'PREDICT_BAD_CSV' });
  });

  it("takes an empty cell as NaN when the run's preprocessing fills missing values, and refuses it otherwise", () => {
    const filled = parsePredictRows('1,,3,NA', 4, 'fill');
    if (!filled.ok) throw new Error(filled.message);
    expect(filled.cells).toEqual([['1', '', '3', 'NA']]);
    expect(filled.rows[0]!.map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([1, 'NaN', 3, 'NaN']);
    expect(parsePredictRows('1,,3,4', 4)).toMatchObject({ ok: false, code: 'PREDICT_MISSING_VALUE', message: expect.stringContaining('Line 1, value 2 (x2) is missing') });
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

  it('fills a missing value with the training mean before scaling: the same answer as the mean typed in', () => {
    const withFill: Preprocessing = { ...preprocessing, fill: [10, -2] };
    const [gap] = predictRows([[NaN, -1.5]], withFill, logitsOf, ['a', 'b', 'c']);
    const [typed] = predictRows([[10, -1.5]], withFill, logitsOf, ['a', 'b', 'c']);
    expect(gap!.probabilities).toEqual(typed!.probabilities);
    expect(gap!.probabilities.every(Number.isFinite)).toBe(true);
  });

  it('writes the rows, the class and one probability column per class, quoting names', () => {
    const rows = [[14, -1.5]];
    const [p] = predictRows(rows, preprocessing, logitsOf, ['setosa', 'vers,icolor', 'vir"ginica']);
    const csv = predictionsCsv([['14', '-1.5']], [p!], ['setosa', 'vers,icolor', 'vir"ginica'], ['sepal length', 'sepal width']);
    const [header, line] = csv.trimEnd().split('\n');
    expect(header).toBe('sepal length,sepal width,predicted,p(setosa),"p(vers,icolor)","p(vir""ginica)"');
    expect(line!.startsWith('14,-1.5,')).toBe(true);
    expect(line!.split(',').slice(-3).map(Number).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });
});

describe('Predict with a model trained on a table with a categorical column', () => {
  // animal is text (one-hot: bird, cat, dog), weight a number; the label is whether it is a pet.
  const file = 'animal,weight,pet\ncat,4.5,yes\ndog,20,yes\nbird,0.3,no\ndog,31,yes\ncat,3.9,yes\nbird,0.1,no\n';
  const table = parseCsvTable(file, {}, 100);
  const columns = table.inputColumns as InputColumn[];
  const preprocessing = fitPreprocessing(table.dataset, 'standardize');
  const plan = buildModelPlan(mlpClassifier(4, [5], 2));
  const params = initParameters(plan, { seed: 7 });
  const logitsOf = (scaled: Float32Array, count: number) => forward(plan, params, { batch: count, inputs: { [plan.inputs[0]!.id]: scaled } }, { training: false }).values.get(plan.outputs[0]!.source)!;
  const classNames = table.dataset.task === 'classification' ? table.dataset.classNames : [];

  it('reads rows as the file writes them: one-hot, then scaling, then the model, as the training rows went', () => {
    const parsed = parsePredictRows('cat, 4.5\n"bird",0.3', columns);
    expect(parsed).toEqual({ ok: true, cells: [['cat', '4.5'], ['bird', '0.3']], rows: [[0, 1, 0, 4.5], [1, 0, 0, Math.fround(0.3)]] });
    if (!parsed.ok) return;
    const got = predictRows(parsed.rows, preprocessing, logitsOf, classNames);
    // The parser's own encoded training rows 0 and 2 are these same two rows.
    const encoded = Array.from(table.dataset.features);
    const expected = predictRows([encoded.slice(0, 4), encoded.slice(8, 12)], preprocessing, logitsOf, classNames);
    expect(got).toEqual(expected);
    expect(got[0]!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('skips a header of the column names, even as the only line', () => {
    expect(parsePredictRows('animal,weight\ndog,12', columns)).toMatchObject({ ok: true, cells: [['dog', '12']] });
    expect(parsePredictRows('Animal, Weight', columns)).toMatchObject({ ok: false, code: 'PREDICT_NO_ROWS', message: expect.stringContaining('2 comma-separated values (animal (categorical), weight)') });
  });

  it('refuses an unknown category naming the line, column and known categories, and counts raw values, not encoded width', () => {
    expect(parsePredictRows('cat,4\nlizard,0.2', columns)).toEqual({
      ok: false,
      code: 'PREDICT_UNKNOWN_CATEGORY',
      message: 'Line 2, value 1 (animal): “lizard” is not a category the model knows (“bird”, “cat”, “dog”).',
    });
    expect(parsePredictRows('0,1,0,4.5', columns)).toMatchObject({ ok: false, code: 'PREDICT_ROW_WIDTH', message: 'Line 1 has 4 values; the model takes 2 raw values (animal (categorical), weight).' });
    expect(parsePredictRows('cat,', columns)).toMatchObject({ ok: false, code: 'PREDICT_MISSING_VALUE', message: expect.stringContaining('Line 1, value 2 (weight) is missing') });
    expect(parsePredictRows('cat,heavy', columns)).toMatchObject({ ok: false, code: 'PREDICT_NOT_A_NUMBER' });
  });

  it('echoes the raw cells in the predictions CSV', () => {
    const parsed = parsePredictRows('dog,"20"', columns);
    if (!parsed.ok) throw new Error(parsed.message);
    const predictions = predictRows(parsed.rows, preprocessing, logitsOf, classNames);
    const [header, line] = predictionsCsv(parsed.cells, predictions, classNames, columns.map((c) => c.name)).trimEnd().split('\n');
    expect(header).toBe('animal,weight,predicted,p(no),p(yes)');
    expect(line!.startsWith(`dog,20,${predictions[0]!.className},`)).toBe(true);
  });
});
