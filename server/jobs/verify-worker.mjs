// The network jobs' verification worker, off the server's main thread (started by
// verify-off-thread.ts with a heap limit; workerData is { entry: this file's URL }). Long-lived: the
// validation splits it prepares stay cached here between a job's checkpoints. One task at a time,
// answered in order as { id, outcome }.
// Plain JavaScript, so neither Next.js nor vitest has to bundle it; tsx compiles what it loads.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runVerifyTask } = await tsImport('./verify-task.ts', import.meta.url);
parentPort.on('message', ({ id, task }) => parentPort.postMessage({ id, outcome: runVerifyTask(task) }));
