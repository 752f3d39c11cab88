import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder';
import { cnnClassifier, mlpClassifier } from '../../graph/examples';
import { buildModelPlan } from '../../model/plan';
import { everyLayerGraph } from '../../model/testing/every-layer-graph';
import { exportPyTorch } from './export-pytorch';

/** The check the brief asks for: the source parses as Python. */
function parses(source: string): { ok: boolean; error: string } {
  const result = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: source, encoding: 'utf8' });
  return { ok: result.status === 0, error: result.stderr };
}

/**
 * Deeper static checks with Python's own ast (torch is not installed, so nothing can run):
 * every name read in forward() was assigned earlier or is an argument, every `self.x` used was
 * created in __init__, and WEIGHT_MAP (a literal) is returned for comparison.
 */
const ANALYSE = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
init = next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
fwd = next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "forward")
created = {t.attr for s in init.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Attribute)}
buffers = [c for s in init.body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and getattr(s.value.func, "attr", "") == "register_buffer" for c in [s.value]]
created |= {ast.literal_eval(c.args[0]) for c in buffers}
known = {a.arg for a in fwd.args.args} | {"F", "torch", "float", "_avg_pool_excluding_padding"}
problems = []
for stmt in fwd.body:
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
            problems.append("undefined " + node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr not in created:
            problems.append("no module self." + node.attr)
    if isinstance(stmt, ast.Assign):
        known |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
weight_map = next(ast.literal_eval(s.value) for s in tree.body if isinstance(s, ast.Assign) and getattr(s.targets[0], "id", "") == "WEIGHT_MAP")
consts = {s.targets[0].id: ast.literal_eval(s.value) for s in tree.body if isinstance(s, ast.Assign) and getattr(s.targets[0], "id", "") in ("PREPROCESSING", "CLASS_NAMES", "INPUT_COLUMNS")}
# Each buffer: its name, the numbers in torch.tensor([...]), the reshape, and persistent=False.
buffer_info = [{"name": ast.literal_eval(c.args[0]), "values": ast.literal_eval(c.args[1].func.value.args[0]), "shape": [ast.literal_eval(a) for a in c.args[1].args], "persistent": next(ast.literal_eval(k.value) for k in c.keywords if k.arg == "persistent")} for c in buffers]
first = ast.unparse(fwd.body[0])
print(json.dumps({"problems": problems, "weightMap": weight_map, "args": [a.arg for a in fwd.args.args], "consts": consts, "buffers": buffer_info, "first": first}))
`;

interface Analysis {
  problems: string[];
  weightMap: Record<string, [string, string]>;
  args: string[];
  consts: Record<string, unknown>;
  buffers: { name: string; values: number[]; shape: number[]; persistent: boolean }[];
  first: string;
}

function analyse(source: string): Analysis {
  const result = spawnSync('python3', ['-c', ANALYSE], { input: source, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

function awkwardIdsGraph() {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [4] }, 'input');
  const a = g.then(input, 'Dense', { units: 3 });
  const b = g.add('Dense', { units: 3 }, 'class');
  g.connect(input, b);
  const c = g.add('Concat', {}, '1st layer-out');
  g.connect(a, c, 'a');
  g.connect(b, c, 'b');
  const f = g.add('Dense', { units: 2 }, 'F');
  g.connect(c, f);
  const labels = g.add('Labels', { encoding: 'values', shape: [2] });
  const loss = g.add('MSE');
  g.connect(f, loss, 'predictions');
  g.connect(labels, loss, 'targets');
  return g.build();
}

describe('PyTorch export', () => {
  const cases = {
    mlp: mlpClassifier(64, [32], 10),
    cnn: cnnClassifier([8, 8, 1], 3),
    everyLayer: everyLayerGraph(),
    awkwardIds: awkwardIdsGraph(),
  };

  for (const [label, graph] of Object.entries(cases)) {
    it(`generates model.py and train.py that parse as Python (${label})`, () => {
      const plan = buildModelPlan(graph);
      const files = exportPyTorch(plan, { optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 0, nesterov: true }, schedule: { type: 'cosine', totalSteps: 100, minLr: 0 } });
      for (const [name, source] of Object.entries(files)) expect({ name, ...parses(source) }).toEqual({ name, ok: true, error: '' });
      const { problems, weightMap } = analyse(files['model.py']);
      expect(problems).toEqual([]);
      // Every parameter and buffer maps to a state_dict key with the right conversion.
      expect(Object.keys(weightMap).sort()).toEqual(plan.params.map((p) => p.name).sort());
      for (const spec of plan.params) {
        const conversion = spec.role !== 'weight' ? 'none' : plan.byId.get(spec.nodeId)!.type === 'Dense' ? 'linear' : plan.byId.get(spec.nodeId)!.type === 'Conv2D' ? 'conv' : 'none';
        expect(weightMap[spec.name]![1], spec.name).toBe(conversion);
        expect(weightMap[spec.name]![0].endsWith(`.${spec.role}`)).toBe(true);
      }
    });
  }

  it('turns awkward node ids into safe, distinct Python names', () => {
    const files = exportPyTorch(buildModelPlan(cases.awkwardIds));
    const { args, weightMap } = analyse(files['model.py']);
    // Shadowing a builtin such as input() inside forward() is legal; keywords and our imports are not.
    expect(args).toEqual(['self', 'input']);
    expect(weightMap['class.weight']).toEqual(['n_class.weight', 'linear']);
    expect(weightMap['F.weight']).toEqual(['n_F.weight', 'linear']);
    expect(files['model.py']).toContain('n_1st_layer_out = torch.cat([dense1, n_class], dim=-1)');
    expect(files['train.py']).toContain('F.mse_loss');
  });

  it('writes the layer details a PyTorch user needs', () => {
    const model = exportPyTorch(buildModelPlan(everyLayerGraph()))['model.py'];
    expect(model).toContain('self.conv2d1 = nn.Conv2d(2, 3, kernel_size=3, stride=1, bias=True)');
    expect(model).toContain('conv2d1 = self.conv2d1(F.pad(image.permute(0, 3, 1, 2), (1, 1, 1, 1), value=0.0)).permute(0, 2, 3, 1)');
    // 'same' 3x3/2 pooling of 6x6 pads one row/column at the bottom/right only, like TensorFlow.
    expect(model).toContain('_avg_pool_excluding_padding(image.permute(0, 3, 1, 2), 3, 2, (0, 1, 0, 1))');
    expect(model).toContain('self.batchnorm1 = nn.BatchNorm1d(3, eps=0.00001, momentum=0.2)');
    expect(model).toContain('batchnorm1 = self.batchnorm1(conv2d1.reshape(-1, 3)).reshape(conv2d1.shape)');
    expect(model).toContain('F.gelu(conv2d2, approximate="tanh")');
    expect(model).toContain('reshape1 = tanh1.reshape(tanh1.shape[0], 2, 4)');
    expect(model).toContain('return (dense3, softmax1)');
  });

  it('carries the input columns of a table with a categorical column, and saves them back under the key CyxWiz reads', () => {
    const plan = buildModelPlan(mlpClassifier(4, [4], 2));
    const inputColumns = [
      { name: 'animal', kind: 'categorical' as const, categories: ['bird', 'cat', 'dog'], encoding: 'one-hot' as const },
      { name: 'weight', kind: 'numeric' as const },
    ];
    const model = { preprocessing: { kind: 'none' as const, features: 4 }, classNames: ['no', 'yes'], inputColumns };
    const files = exportPyTorch(plan, { model });
    const { problems, consts } = analyse(files['model.py']);
    expect(problems).toEqual([]);
    expect(consts).toEqual({ PREPROCESSING: model.preprocessing, CLASS_NAMES: ['no', 'yes'], INPUT_COLUMNS: inputColumns });
    expect(files['model.py']).toContain('"class_names": json.dumps(CLASS_NAMES), "input_columns": json.dumps(INPUT_COLUMNS)');
  });

  it('carries the fitted preprocessing as buffers applied first in forward(), with class names', () => {
    const plan = buildModelPlan(mlpClassifier(3, [4], 2));
    const model = { preprocessing: { kind: 'minmax' as const, min: [0, -1.5, 10], max: [2, 1.5, 1710] }, classNames: ['no', 'yes'] };
    const files = exportPyTorch(plan, { model });
    const { problems, consts, buffers, first, args, weightMap } = analyse(files['model.py']);
    expect(problems).toEqual([]);
    expect(consts).toEqual({ PREPROCESSING: model.preprocessing, CLASS_NAMES: ['no', 'yes'] });
    expect(buffers).toEqual([
      { name: 'feature_offset', values: [0, -1.5, 10], shape: [3], persistent: false },
      { name: 'feature_divisor', values: [2, 3, 1700], shape: [3], persistent: false },
    ]);
    expect(first).toBe(`${args[1]} = (${args[1]} - self.feature_offset) / self.feature_divisor`);
    // Weights saved back from PyTorch keep the preprocessing, under the keys CyxWiz reads.
    expect(files['model.py']).toContain('"preprocessing": json.dumps(PREPROCESSING), "class_names": json.dumps(CLASS_NAMES)');
    expect(files['model.py']).toMatch(/^import json$/m);
    // The buffers are not weights: the weight map (and so CyxWiz weight files) is unchanged.
    expect(Object.keys(weightMap).sort()).toEqual(plan.params.map((p) => p.name).sort());
  });

  it('refuses preprocessing fitted on another feature count', () => {
    const plan = buildModelPlan(mlpClassifier(3, [4], 2));
    expect(() => exportPyTorch(plan, { model: { preprocessing: { kind: 'standardize', mean: [0], std: [1] }, classNames: [] } })).toThrow(/fitted on 1 features but the model's Input takes 3/);
  });
});
