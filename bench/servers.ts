import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../src/project-root';
import type { RoundResult } from './report';

/**
 * Spawning the compiled service (or a ceiling) on loopback, driving it with autocannon, and reading its
 * CPU time and memory from /proc, for `npm run bench` (run.ts).
 */
export const ROOT = projectRoot(__dirname);
export const HOST = '127.0.0.1';
export const SERVICE_ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
/** A node flag as the bench tools accept it (`--name` or `--name=value`): nothing else reaches a command line. */
export const NODE_FLAG = /^--[a-z0-9-]+(=[\w.-]+)?$/;

/**
 * The service runs as the image runs it: with the Dockerfile's NODE_OPTIONS (the V8 heap sizing), read from
 * the Dockerfile itself so that the bench cannot drift from what ships.
 */
export function imageNodeOptions(): string {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const match = /^\s*(?:ENV\s+)?NODE_OPTIONS="([^"]*)"/m.exec(dockerfile);
  if (match?.[1] === undefined) throw new Error('Dockerfile sets no NODE_OPTIONS="..." for the bench to run the service with');
  return match[1];
}

/** Every child process spawned here, so that a failing or overrunning tool can stop them all. */
export const children = new Set<ChildProcess>();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const log = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  /** Spawn to first 200 on /ready. */
  readonly startupMs: number;
  readonly spawnedAt: bigint;
  /** Last lines of output, for diagnostics when it fails. */
  output(): string;
}

/** Spawns a server and polls /ready every 10 ms (at most 15 s) until it answers 200 (faster polling steals the CPU it measures). */
export async function startServer(label: string, args: readonly string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  let tail = '';
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // The production configuration: the default SQLite audit store (a fresh file per spawn, in the temp
    // folder), a patient-hash secret, and the rate limit off (the bench is one client sending thousands).
    env: {
      PORT: String(port),
      HOST,
      NODE_ENV: 'production',
      PATIENT_HASH_SECRET: 'bench-only-patient-hash-secret',
      SQLITE_PATH: path.join(os.tmpdir(), `imaging-cds-bench-${process.pid}-${port}.sqlite`),
      RATE_LIMIT_PER_MINUTE: '0',
      // Service and ceilings alike run with the image's node options (the same runtime for both), unless
      // the caller passes its own NODE_OPTIONS in env.
      NODE_OPTIONS: imageNodeOptions(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  for (let i = 0; i < 1500; i += 1) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}: ${tail}`);
    try {
      const res = await fetch(`${url}/ready`);
      await res.arrayBuffer();
      if (res.status === 200) {
        return { child, url, startupMs: Number(process.hrtime.bigint() - started) / 1e6, spawnedAt: started, output: () => tail };
      }
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`${label} not ready after 15 s: ${tail}`);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** VmRSS / VmHWM (kB) of a process from /proc (Linux); undefined elsewhere. */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, ms) used so far, from /proc (clock ticks of 10 ms): of the whole process, or with
 * `mainThreadOnly` of its main thread, the event loop (/proc/<pid>/task/<pid>/stat), which is what bounds a
 * node server's requests/s; the rest is V8's helper threads (GC) and, in the service, the audit writer.
 */
export function cpuMsOf(pid: number | undefined, mainThreadOnly = false): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name `(...)`: state is 3rd, utime 14th, stime 15th of the whole line.
    const stat = fs.readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * One autocannon run. Besides wall-clock figures it records the server's CPU time per request, which a
 * busy shared machine disturbs far less than requests/s (a descheduled server is slow, not busier).
 */
export async function load(url: string, body: string, connections: number, seconds: number, pid?: number): Promise<RoundResult> {
  const cpuBefore = cpuMsOf(pid);
  const loopBefore = cpuMsOf(pid, true);
  const r = await autocannon({
    url: `${url}/cds-services/imaging-order-sign`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    connections,
    duration: seconds,
    timeout: 10,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    errors: r.errors + r.timeouts + r.non2xx,
    total: r.requests.total,
    cpuUsPerRequest: cpuBefore === undefined || r.requests.total === 0 ? Number.NaN : (((cpuMsOf(pid) ?? Number.NaN) - cpuBefore) * 1000) / r.requests.total,
    loopUsPerRequest: loopBefore === undefined || r.requests.total === 0 ? Number.NaN : (((cpuMsOf(pid, true) ?? Number.NaN) - loopBefore) * 1000) / r.requests.total,
  };
}

export async function post(url: string, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}/cds-services/imaging-order-sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, json: await res.json() };
}

/**
 * Runs a bench tool's main with a hard time limit: past it, or when main fails, every child process is
 * stopped and the tool exits non-zero, so that no server is left running on the machine.
 */
export function runBounded(main: () => Promise<void>, limitMs: number): void {
  const guard = setTimeout(() => {
    log(`run exceeded ${limitMs / 1000} s; stopping`);
    for (const c of children) c.kill('SIGKILL');
    process.exit(2);
  }, limitMs);
  guard.unref();
  main()
    .then(() => {
      clearTimeout(guard);
      process.exit(0);
    })
    .catch(async (e: unknown) => {
      log(`failed: ${e instanceof Error ? e.message : String(e)}`);
      await Promise.all([...children].map((c) => stop(c)));
      process.exit(1);
    });
}
