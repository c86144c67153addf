import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { hookDeps, loadServiceParts } from '../src/compose';
import { loadConfig } from '../src/config';
import { handleHook } from '../src/cds/invoke';
import { parseHookRequest } from '../src/validation/request-validator';
import type { AuditStore } from '../src/store/types';

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

/**
 * The service hands audit records to a write-behind buffer and a worker thread; timing a synchronous
 * SQLite insert here would charge the event loop with work it does not do. The records are dropped.
 */
const discardingAudit = { recordInvocation: async () => undefined, recordFeedback: async () => undefined } as unknown as AuditStore;

export async function measureStages(body: string, fhirBase: string, iterations = 2000, budgetMs = 4000): Promise<StageCosts> {
  const config = loadConfig({ LOG_LEVEL: 'info', ALLOWED_FHIR_SERVERS: fhirBase });
  const deps = hookDeps(config, loadServiceParts(config), discardingAudit, pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true })));
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
