import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { handleHook } from '../../src/service/handle-hook';
import { benchBody, benchHookDeps } from '../bench-body';

/**
 * The bench call in a loop, in-process, for `node --cpu-prof`: `npm run bench:loop -- [seconds]`.
 * Finds where handleHook's time goes without HTTP or a second process in the profile.
 */
async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? '5');
  const { body, fhirBase } = await benchBody();
  if (process.env['BENCH_BODY_FILE'] !== undefined) fs.writeFileSync(process.env['BENCH_BODY_FILE'], body);
  const deps = benchHookDeps(fhirBase);
  const deadline = performance.now() + seconds * 1000;
  const samples: number[] = [];
  while (performance.now() < deadline) {
    const input: unknown = JSON.parse(body);
    const t = performance.now();
    await handleHook('imaging-order-sign', input, {}, deps);
    samples.push((performance.now() - t) * 1000);
  }
  // The first third is JIT warm-up; the median of the rest is the steady state.
  const steady = samples.slice(Math.floor(samples.length / 3)).sort((a, b) => a - b);
  const at = (q: number): string => (steady[Math.floor(q * (steady.length - 1))] ?? Number.NaN).toFixed(1);
  process.stderr.write(`${samples.length} calls, handleHook µs: p10 ${at(0.1)}, median ${at(0.5)}, p90 ${at(0.9)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
