import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The torch executor (executor.py) as a child process speaking JSON lines: one request per line on
 * its stdin, one answer per line on its stdout, answered in order. This module owns the process —
 * start-up handshake, framing, per-request timeouts, clean shutdown — and knows nothing of models.
 */
export const TORCH_PINS = 'torch==2.15.0 safetensors==0.7.0 packaging==26.4 numpy==2.4.6';
export const TORCH_INSTALL_HINT = `run \`bash scripts/setup.sh test\`, or: python3 -m venv .tools/torch && .tools/torch/bin/pip install ${TORCH_PINS}`;

export type TorchDevice = 'cpu' | 'cuda' | 'auto';

export class TorchExecutorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TorchExecutorError';
  }
}

export interface TorchProcessOptions {
  /** The Python with torch installed. Default: $CYXWIZ_TORCH_PYTHON, else the project's .tools/torch venv. */
  readonly python?: string;
  readonly device?: TorchDevice;
  /** How long importing torch may take. Default 120 s (a cold import on a busy machine is slow). */
  readonly startTimeoutMs?: number;
  /** How long one request may take. Default 120 s. */
  readonly requestTimeoutMs?: number;
}

export interface TorchReady {
  readonly torch: string;
  readonly device: string;
  readonly cuda: boolean;
}

type Answer = Record<string, unknown>;

interface Pending {
  readonly op: string;
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const STDERR_TAIL = 4000;

export function defaultTorchPython(): string {
  return process.env['CYXWIZ_TORCH_PYTHON'] ?? fileURLToPath(new URL('../../.tools/torch/bin/python', import.meta.url));
}

export class TorchProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  private exited: TorchExecutorError | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly info: TorchReady,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Starts the executor and waits for its ready line; TORCH_MISSING when torch is not installed. */
  static start(options: TorchProcessOptions = {}): Promise<TorchProcess> {
    const python = options.python ?? defaultTorchPython();
    if (!existsSync(python)) {
      return Promise.reject(new TorchExecutorError('TORCH_MISSING', `PyTorch is not installed (no ${python}): ${TORCH_INSTALL_HINT}`));
    }
    const script = fileURLToPath(new URL('./executor.py', import.meta.url));
    const child = spawn(python, ['-u', script, options.device ?? 'cpu'], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Writing to an executor that has just died raises EPIPE here; its exit is what gets reported.
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const onStderr = (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL));
    child.stderr.on('data', onStderr);
    const lines = createInterface({ input: child.stdout });
    return new Promise((resolve, reject) => {
      const fail = (error: TorchExecutorError) => {
        clearTimeout(timer);
        lines.removeAllListeners('line');
        child.kill('SIGKILL');
        reject(error);
      };
      const timer = setTimeout(() => fail(new TorchExecutorError('TORCH_START_TIMEOUT', `The torch executor did not start within ${options.startTimeoutMs ?? 120_000} ms`)), options.startTimeoutMs ?? 120_000);
      child.once('error', (error) => fail(new TorchExecutorError('TORCH_MISSING', `Could not run ${python}: ${error.message}; ${TORCH_INSTALL_HINT}`)));
      child.once('exit', (code) => fail(new TorchExecutorError('TORCH_EXITED', `The torch executor exited (status ${code}) before it was ready: ${stderr.trim().slice(-800)}`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        let ready: Answer;
        try {
          ready = JSON.parse(line) as Answer;
        } catch {
          return fail(new TorchExecutorError('TORCH_PROTOCOL', `The torch executor's first line is not JSON: ${line.slice(0, 200)}`));
        }
        if (ready['ready'] !== true) {
          const error = ready['error'] as { code?: string; message?: string } | undefined;
          const hint = error?.code === 'TORCH_MISSING' ? `; ${TORCH_INSTALL_HINT}` : '';
          return fail(new TorchExecutorError(error?.code ?? 'TORCH_PROTOCOL', `${error?.message ?? 'The torch executor did not start'}${hint}`));
        }
        const proc = new TorchProcess(child, { torch: String(ready['torch']), device: String(ready['device']), cuda: ready['cuda'] === true }, options.requestTimeoutMs ?? 120_000);
        proc.stderr = stderr;
        child.stderr.off('data', onStderr);
        child.stderr.on('data', (chunk: string) => (proc.stderr = (proc.stderr + chunk).slice(-STDERR_TAIL)));
        lines.on('line', (l) => proc.onLine(l));
        child.on('exit', (code, signal) => proc.onExit(code, signal));
        resolve(proc);
      });
    });
  }

  /** The executor's process id (e.g. for reading its peak memory); undefined once it is gone. */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  /** Sends one request and resolves with its answer; rejects with the executor's own code on an error answer. */
  request(op: string, body: Record<string, unknown> = {}): Promise<Answer> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // A late answer would be taken for the next request's, so a timed-out executor is ended.
        this.kill(new TorchExecutorError('TORCH_TIMEOUT', `The torch executor did not answer '${op}' within ${this.requestTimeoutMs} ms`));
        reject(new TorchExecutorError('TORCH_TIMEOUT', `The torch executor did not answer '${op}' within ${this.requestTimeoutMs} ms`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { op, resolve, reject, timer });
      this.child.stdin.write(`${JSON.stringify({ ...body, id, op })}\n`);
    });
  }

  /** Asks the executor to exit and waits for it; kills it if it has not gone within 5 s. */
  async shutdown(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    try {
      await this.request('shutdown');
    } catch {
      // Exiting is what was asked; an executor that cannot answer is killed by the timer.
    }
    this.child.stdin.end();
    await gone;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    let answer: Answer;
    try {
      answer = JSON.parse(line) as Answer;
    } catch {
      return this.kill(new TorchExecutorError('TORCH_PROTOCOL', `The torch executor wrote a line that is not JSON: ${line.slice(0, 200)}`));
    }
    const pending = this.pending.get(answer['id'] as number);
    if (!pending) return this.kill(new TorchExecutorError('TORCH_PROTOCOL', `The torch executor answered an unknown request id ${String(answer['id'])}`));
    this.pending.delete(answer['id'] as number);
    clearTimeout(pending.timer);
    if (answer['ok'] === true) return pending.resolve(answer);
    const error = answer['error'] as { code?: string; message?: string } | undefined;
    pending.reject(new TorchExecutorError(error?.code ?? 'TORCH_PROTOCOL', `${pending.op}: ${error?.message ?? 'the torch executor failed without a message'}`));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited ??= new TorchExecutorError('TORCH_EXITED', `The torch executor exited (${signal ?? `status ${code}`}): ${this.stderr.trim().slice(-800)}`);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.exited);
    }
    this.pending.clear();
  }

  private kill(reason: TorchExecutorError): void {
    this.exited ??= reason;
    this.child.kill('SIGKILL');
  }
}
