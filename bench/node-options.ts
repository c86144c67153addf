import fs from 'node:fs';
import { startFhirServer } from '../test/support/fhir-server';
import { benchCall } from './bench-body';
import type { RoundResult } from './report';
import { NODE_FLAG, SERVICE_ENTRY, imageNodeOptions, load, log, memoryOf, runBounded, startServer, stop } from './servers';
import { median } from './stats';

/**
 * `npm run bench:node-options -- [--pairs N] [--seconds S] <options> <options> ...`: the same service under
 * different NODE_OPTIONS, in alternating runs, for deployment settings such as the heap limit. Each argument
 * is one NODE_OPTIONS value: `image` for the Dockerfile's, `''` for node's defaults. Each run starts a fresh
 * service and drives it with the bench call at 10, 50 and 10 connections (the 50-connection load is where
 * memory peaks); the table gives medians over runs, and the range of peak RSS.
 *
 * Written for the heap-limit decision of 2026-11-24 (BENCHMARKS.md): one run is not enough on a shared
 * machine, whose throughput swings 20-30% from minute to minute, so variants alternate and repeat.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (i >= 0) args.splice(i, 2);
  if (!Number.isInteger(value) || value < 1 || value > 20) throw new Error(`${name} takes an integer from 1 to 20`);
  return value;
};
const PAIRS = flag('--pairs', 3);
const SECONDS = flag('--seconds', 8);
const variants = args.map((a) => (a === 'image' ? imageNodeOptions() : a));
/** Hard stop: each run takes about 3 x SECONDS + 8 s. */
const RUN_LIMIT_MS = (PAIRS * Math.max(variants.length, 1) * (3 * SECONDS + 15) + 60) * 1000;

interface RunResult {
  readonly at10: RoundResult[];
  readonly at50: RoundResult;
  readonly peakRssMb: number;
}

async function oneRun(nodeOptions: string, body: string, fhirBase: string): Promise<RunResult> {
  const service = await startServer(`service (${nodeOptions || 'node defaults'})`, [SERVICE_ENTRY], { NODE_OPTIONS: nodeOptions, ALLOWED_FHIR_SERVERS: fhirBase, LOG_LEVEL: 'warn' });
  const pid = service.child.pid;
  if (pid === undefined) throw new Error('service has no pid');
  let peakKb = 0;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, memoryOf(pid)?.rssKb ?? 0);
  }, 100);
  try {
    await load(service.url, body, 10, 2); // warm-up: JIT, connection setup
    const first = await load(service.url, body, 10, SECONDS, pid);
    const at50 = await load(service.url, body, 50, SECONDS, pid);
    const last = await load(service.url, body, 10, SECONDS, pid);
    peakKb = Math.max(peakKb, memoryOf(pid)?.hwmKb ?? 0);
    return { at10: [first, last], at50, peakRssMb: peakKb / 1024 };
  } finally {
    clearInterval(sampler);
    await stop(service.child);
  }
}

async function main(): Promise<void> {
  if (variants.length < 1) throw new Error("give one or more NODE_OPTIONS values, e.g. '' image '--max-old-space-size=1536'");
  for (const v of variants) {
    const bad = v.split(' ').filter((f) => f !== '' && !NODE_FLAG.test(f));
    if (bad.length > 0) throw new Error(`not a node flag: ${bad.join(' ')}`);
  }
  if (!fs.existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} missing: run \`npm run build\` first (npm run bench:node-options does)`);
  const fhir = await startFhirServer();
  const body = JSON.stringify((await benchCall(fhir)).withPrefetch);
  const results = new Map<string, RunResult[]>(variants.map((v) => [v, []]));
  for (let pair = 0; pair < PAIRS; pair += 1) {
    // The order alternates, so that drift on the shared machine hits every variant alike.
    const order = pair % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      log(`run ${pair + 1}/${PAIRS}: NODE_OPTIONS='${v}'`);
      const r = await oneRun(v, body, fhir.baseUrl);
      results.get(v)?.push(r);
      log(`  10 connections ${r.at10.map((x) => x.rps.toFixed(0)).join(', ')} requests/s; peak RSS ${r.peakRssMb.toFixed(1)} MB`);
    }
  }
  await fhir.close();
  const lines = [
    `NODE_OPTIONS compared: ${PAIRS} alternating run(s) per value, each ${SECONDS} s at 10, 50 and 10 connections on a fresh service (bench call, ${(Buffer.byteLength(body) / 1024).toFixed(1)} KiB).`,
    '',
    '| NODE_OPTIONS | requests/s at 10 | p99 ms at 10 | CPU µs/request | event loop µs/request | requests/s at 50 | peak RSS MB (min-max) | errors |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [v, rs] of results) {
    const at10 = rs.flatMap((r) => r.at10);
    const all = rs.flatMap((r) => [...r.at10, r.at50]);
    const peaks = rs.map((r) => r.peakRssMb);
    lines.push(
      `| \`${v || '(node defaults)'}\` | ${median(at10.map((x) => x.rps)).toFixed(0)} | ${median(at10.map((x) => x.p99))} | ${median(all.map((x) => x.cpuUsPerRequest)).toFixed(0)} | ${median(all.map((x) => x.loopUsPerRequest)).toFixed(0)} | ${median(rs.map((r) => r.at50.rps)).toFixed(0)} | ${Math.min(...peaks).toFixed(1)}-${Math.max(...peaks).toFixed(1)} | ${all.reduce((n, x) => n + x.errors, 0)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

runBounded(main, RUN_LIMIT_MS);
