import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { readSafetensors } from '../../compute/export/safetensors/format';
import { saveWeights } from '../../compute/export/safetensors/weights';
import { randomFeed } from '../../compute/engine/testing/gpu-cpu-parity';
import { mlpClassifier } from '../../compute/graph/examples';
import { OptimizerSchema } from '../../compute/layers/optimizers';
import { forward } from '../../compute/model/forward';
import { initParameters } from '../../compute/model/init';
import { buildModelPlan } from '../../compute/model/plan';
import { everyLayerGraph } from '../../compute/model/testing/every-layer-graph';
import { TorchExecutor } from './torch-executor';
import { defaultTorchPython, TorchProcess, type TorchExecutorError } from './torch-process';

/**
 * The executor's protocol: every bad request is answered with a stable code and the process keeps
 * serving; a missing torch says how to install it; a request that outlives its timeout ends the
 * process (a late answer would be mistaken for the next one) and says so.
 */
const plan = buildModelPlan(mlpClassifier(4, [5], 3));
const optimizer = OptimizerSchema.parse({ type: 'sgd', lr: 0.1 });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return `${(error as TorchExecutorError).code}: ${(error as Error).message}`;
  }
  return 'no error';
}

describe('starting the executor', () => {
  it('without the venv, fails with TORCH_MISSING and the install command', async () => {
    const message = await codeOf(TorchProcess.start({ python: fileURLToPath(new URL('./no-such-venv/bin/python', import.meta.url)) }));
    expect(message).toMatch(/^TORCH_MISSING: PyTorch is not installed .*bash scripts\/setup.sh test.*pip install torch==/);
  });

  it('with a Python that has no torch, fails with TORCH_MISSING from the executor itself', async () => {
    const bare = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    expect(spawnSync(bare, ['-c', 'import torch']).status, 'the system python3 has no torch').not.toBe(0);
    const message = await codeOf(TorchProcess.start({ python: bare }));
    expect(message).toMatch(/^TORCH_MISSING: PyTorch could not be imported: .*torch.*bash scripts\/setup.sh test/);
  });
});

describe('choosing the device', () => {
  it('cuda starts on CUDA where torch sees a GPU, and is refused with NO_CUDA where it does not', async () => {
    const cuda = spawnSync(defaultTorchPython(), ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' }).stdout.trim() === 'True';
    const started = TorchProcess.start({ device: 'cuda' });
    if (cuda) {
      const proc = await started;
      expect(proc.info.device).toMatch(/^cuda/);
      await proc.shutdown();
    } else {
      expect(await codeOf(started)).toMatch(/^NO_CUDA: CUDA was asked for but torch.cuda.is_available\(\) is false/);
    }
  });
});

describe('the JSON-lines protocol', () => {
  let torch: TorchExecutor;
  beforeAll(async () => {
    torch = await TorchExecutor.start();
  });
  afterAll(async () => {
    await torch?.shutdown();
  });

  it('answers bad requests with stable codes and keeps serving', async () => {
    const p = torch.process;
    expect(await codeOf(p.request('train'))).toMatch(/^BAD_REQUEST: train: unknown op 'train'/);
    expect(await codeOf(p.request('step', { batch: 1 }))).toMatch(/^NOT_INITIALISED: step: 'step' needs an 'init' first/);
    expect(await codeOf(p.request('init', { code: 'def broken(:', optimizer }))).toMatch(/^BAD_MODEL_CODE: init: model.py does not run: SyntaxError/);
    const other = initParameters(buildModelPlan(mlpClassifier(4, [6], 3)), { seed: 1 });
    expect(await codeOf(torch.load({ plan, optimizer, seed: 1, params: other }))).toMatch(/^BAD_WEIGHTS: /);
    expect(await codeOf(torch.load({ plan, optimizer, seed: 1, checkpoint: saveWeights(initParameters(plan, { seed: 1 })).slice(0, 20) }))).toMatch(/^BAD_WEIGHTS: init: the weights are not a readable safetensors file/);

    await torch.load({ plan, optimizer, seed: 1, params: initParameters(plan, { seed: 1 }) });
    const feed = randomFeed(plan, 2, 5);
    expect(await codeOf(torch.step({ ...feed, batch: 3 }))).toMatch(/^BAD_FEED: step: Input '.+' got 8 values; 3 examples of shape \[4\] need 12/);
    const labelsId = plan.labels[0]!.id;
    expect(await codeOf(torch.step({ ...feed, labels: { [labelsId]: Int32Array.of(0, 3) } }))).toMatch(/^BAD_FEED: step: Labels '.+' holds a class index outside \[0, 3\)/);
    expect(await codeOf(torch.step({ ...feed, labels: {} }))).toMatch(/^BAD_FEED: step: no labels were given for Labels/);
    // After all that, the same process still trains.
    const result = await torch.step(feed);
    expect(result.step).toBe(1);
    expect(result.loss).toBeGreaterThan(0);
  });

  it('reads weights from a file and writes checkpoints to one, the same bytes as over the pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyxwiz-torch-'));
    try {
      const start = join(dir, 'start.safetensors');
      writeFileSync(start, saveWeights(initParameters(plan, { seed: 3 })));
      expect(await codeOf(torch.load({ plan, optimizer, seed: 1, weightsPath: join(dir, 'missing.safetensors') }))).toMatch(/^BAD_WEIGHTS: init: cannot read the weights file: No such file/);
      await torch.load({ plan, optimizer, seed: 1, weightsPath: start });
      await torch.step(randomFeed(plan, 2, 6));
      const out = join(dir, 'checkpoint.safetensors');
      const size = await torch.checkpointToFile(out);
      const piped = await torch.checkpoint();
      // The same content (safetensors may order the metadata keys differently from one write to the next).
      expect(size).toBe(piped.length);
      const fromFile = readSafetensors(new Uint8Array(readFileSync(out)));
      const fromPipe = readSafetensors(piped);
      expect(fromFile.metadata).toEqual(fromPipe.metadata);
      expect([...fromFile.tensors].map(([name, t]) => [name, Array.from(t.data)])).toEqual([...fromPipe.tensors].map(([name, t]) => [name, Array.from(t.data)]));
      expect(loadCheckpoint(piped, { plan }).optimizer.step).toBe(1);
      expect(await codeOf(torch.checkpointToFile(join(dir, 'no-such-dir', 'c.safetensors')))).toMatch(/^CHECKPOINT_WRITE_FAILED: checkpoint: cannot write the checkpoint/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs forward() in inference mode like our CPU forward (BatchNorm from running statistics, Dropout off)', async () => {
    const every = buildModelPlan(everyLayerGraph());
    const params = initParameters(every, { seed: 4 });
    for (const spec of every.params) if (spec.role === 'running_var') params.get(spec.name)!.data.fill(2);
    await torch.load({ plan: every, optimizer, seed: 1, params });
    const feed = randomFeed(every, 3, 8);
    const got = await torch.forward(feed);
    const want = forward(every, params, { batch: 3, inputs: feed.inputs }, { training: false }).values;
    expect([...got.keys()].sort()).toEqual(every.outputs.map((o) => o.source).sort());
    for (const [source, values] of got) {
      const expected = want.get(source)!;
      expect(values.length).toBe(expected.length);
      expect(Math.max(...Array.from(values, (v, i) => Math.abs(v - expected[i]!))), source).toBeLessThan(1e-5);
    }
  });
});

describe('raw lines', () => {
  it('a line that is not JSON gets an error answer, and shutdown ends the process cleanly', () => {
    const script = fileURLToPath(new URL('./executor.py', import.meta.url));
    const input = ['not json', '[1, 2]', JSON.stringify({ id: 7, op: 'checkpoint' }), JSON.stringify({ id: 8, op: 'shutdown' }), ''].join('\n');
    const result = spawnSync(defaultTorchPython(), [script, 'cpu'], { input, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ ready: true, device: 'cpu' });
    expect(lines.slice(1).map((l) => [l['id'], l['ok'], (l['error'] as { code?: string } | undefined)?.code])).toEqual([
      [null, false, 'BAD_REQUEST'],
      [null, false, 'BAD_REQUEST'],
      [7, false, 'NOT_INITIALISED'],
      [8, true, undefined],
    ]);
  });
});

describe('timeouts', () => {
  it('a request that outlives its timeout ends the process with TORCH_TIMEOUT, and later requests say so', async () => {
    const proc = await TorchProcess.start({ requestTimeoutMs: 1 });
    expect(await codeOf(proc.request('init', { code: 'import time\ntime.sleep(5)', optimizer }))).toMatch(/^TORCH_TIMEOUT: The torch executor did not answer 'init' within 1 ms/);
    expect(await codeOf(proc.request('checkpoint'))).toMatch(/^TORCH_TIMEOUT: /);
    await proc.shutdown();
  });
});
