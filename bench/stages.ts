import { performance } from 'node:perf_hooks';
import { handleHook } from '../src/service/handle-hook';
import { parseHookRequest } from '../src/cds-hooks/parse-request';
import { benchHookDeps } from './bench-body';

/**
 * Per-stage cost of one hook call, in-process (no HTTP, no other process): JSON.parse of the body, ajv
 * validation, the whole handleHook, JSON.stringify of the answer. CPU-bound and single-threaded, so far
 * less sensitive to a shared machine than the HTTP figures; used to find where the service's time goes.
 */
export interface StageCosts {
  readonly parseUs: number;
  readonly validateUs: number;
  readonly handleHookUs: number;
  readonly stringifyUs: number;
  readonly responseBytes: number;
  readonly iterations: number;
}

function timeIt(iterations: number, budgetMs: number, fn: () => unknown): { us: number; n: number } {
  const deadline = performance.now() + budgetMs;
  const samples: number[] = [];
  for (let i = 0; i < iterations && performance.now() < deadline; i += 1) {
    const t = performance.now();
    fn();
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { us: samples[Math.floor(samples.length / 2)] ?? Number.NaN, n: samples.length };
}

export async function measureStages(body: string, fhirBase: string, iterations = 2000, budgetMs = 4000): Promise<StageCosts> {
  const deps = benchHookDeps(fhirBase);
  const parsed = (): unknown => JSON.parse(body);
  // warm-up (JIT) before timing
  for (let i = 0; i < 200; i += 1) await handleHook('imaging-order-sign', parsed(), {}, deps);
  const parse = timeIt(iterations, budgetMs / 4, parsed);
  // The wire validator neither coerces nor fills defaults, so one parsed body can be validated repeatedly.
  const once: unknown = JSON.parse(body);
  const validate = timeIt(iterations, budgetMs / 4, () => parseHookRequest(once));
  // handleHook is async but, with prefetch, never waits on I/O: time it awaited one at a time.
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs / 4;
  let response: unknown;
  for (let i = 0; i < iterations && performance.now() < deadline; i += 1) {
    const input = JSON.parse(body);
    const t = performance.now();
    response = await handleHook('imaging-order-sign', input, {}, deps);
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  const stringify = timeIt(iterations, budgetMs / 4, () => JSON.stringify(response));
  return {
    parseUs: parse.us,
    validateUs: validate.us,
    handleHookUs: samples[Math.floor(samples.length / 2)] ?? Number.NaN,
    stringifyUs: stringify.us,
    responseBytes: Buffer.byteLength(JSON.stringify(response)),
    iterations: samples.length,
  };
}
