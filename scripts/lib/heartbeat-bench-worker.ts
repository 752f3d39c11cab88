/**
 * One of bench:heartbeats' load processes: reads { url, credentials, intervalMs, seconds, startAt }
 * as JSON on stdin, sends each machine's heartbeat every intervalMs (machines spread evenly over the
 * interval, as real runners' start times are), and prints { latenciesMs, sentAtMs, warmupMs, slowAtS, statuses } as JSON.
 */
import { Agent, request } from 'node:http';

interface Job {
  url: string;
  credentials: string[];
  intervalMs: number;
  seconds: number;
  /** Epoch ms when every worker starts, so the processes' phases interleave. */
  startAt: number;
  /** This worker's offset inside the interval, so workers do not beat in step. */
  phaseMs: number;
}

const input = await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.on('data', (d: Buffer) => (text += d.toString()));
  process.stdin.on('end', () => resolve(text));
});
const job = JSON.parse(input) as Job;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL(`${job.url}/api/trpc/runner.heartbeat`);

function heartbeat(credential: string, beat: number): Promise<number> {
  const body = JSON.stringify({
    metrics: { cpuPercent: (beat * 7) % 100, ramUsedBytes: 8 * 2 ** 30, gpus: [{ index: 0, utilPercent: (beat * 13) % 100, memUsedBytes: 2 ** 30, tempC: 60, powerW: 200 }], job: null },
  });
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const latenciesMs: number[] = [];
/** When each measured heartbeat was sent (epoch ms): bench:scheduler keeps those sent while it scheduled. */
const sentAtMs: number[] = [];
const warmupMs: number[] = [];
/** When slow answers came (seconds since the start): spread out is load, bunched up is a stall. */
const SLOW_MS = 50;
const slowAtS: number[] = [];
const statuses: Record<string, number> = {};
const endAt = job.startAt + job.seconds * 1000;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

const answer = () => process.stdout.write(JSON.stringify({ latenciesMs, sentAtMs, warmupMs, slowAtS, statuses }), () => process.exit(0));
// Asked to stop early (bench:scheduler, once its jobs are placed): answer what was measured so far.
process.once('SIGTERM', answer);

await Promise.all(
  job.credentials.map(async (credential, i) => {
    let next = job.startAt + job.phaseMs + (i / job.credentials.length) * job.intervalMs;
    for (let beat = 0; next < endAt; beat++, next += job.intervalMs) {
      await sleepUntil(next);
      const sentAt = Date.now();
      const t0 = performance.now();
      const status = await heartbeat(credential, beat).catch(() => 0);
      // The first round opens each connection and warms the server's JIT: counted apart.
      const ms = performance.now() - t0;
      if (beat === 0) warmupMs.push(ms);
      else {
        latenciesMs.push(ms);
        sentAtMs.push(sentAt);
      }
      if (beat > 0 && ms > SLOW_MS) slowAtS.push(Math.floor((Date.now() - job.startAt) / 1000));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
agent.destroy();
answer();
