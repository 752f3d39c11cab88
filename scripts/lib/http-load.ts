import { percentile } from './bench-runs';
import { Agent, request } from 'node:http';

export interface LoadResult {
  connections: number;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
}

/** One GET on a kept-alive connection; resolves with the status once the body has been read. */
function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `connections` clients, each sending its next request as soon as the previous answer arrives, for
 * `seconds`, after `warmupSeconds` of the same that are not counted (the server's JIT and caches
 * settle there, not in the first measurement). Latency is per request.
 */
export async function runLoad(opts: { url: string; headers: Record<string, string>; connections: number; seconds: number; warmupSeconds?: number }): Promise<LoadResult> {
  const url = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  let errors = 0;
  try {
    const warmEnd = performance.now() + (opts.warmupSeconds ?? 1) * 1000;
    await Promise.all(
      Array.from({ length: opts.connections }, async () => {
        while (performance.now() < warmEnd) await get(agent, url, opts.headers).catch(() => 0);
      }),
    );
    const started = performance.now();
    const deadline = started + opts.seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.connections }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          const status = await get(agent, url, opts.headers).catch(() => 0);
          latencies.push(performance.now() - t0);
          if (status !== 200) errors++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      connections: opts.connections,
      requests: latencies.length,
      errors,
      seconds: Number(seconds.toFixed(2)),
      rps: Math.round(latencies.length / seconds),
      p50_ms: Number(percentile(latencies, 50).toFixed(2)),
      p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    };
  } finally {
    agent.destroy();
  }
}
