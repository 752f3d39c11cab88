// One dataset parse, off the server's main thread (started by parse-off-thread.ts with a heap limit;
// workerData is { entry: this file's URL, task }).
// Plain JavaScript, so neither Next.js nor vitest has to bundle it; tsx compiles the parser it loads.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runParseTask } = await tsImport('./parse-task.ts', import.meta.url);
parentPort.postMessage(runParseTask(workerData.task));
