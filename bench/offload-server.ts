import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import express from 'express';
import { createAuditStore, hookDeps, loadServiceParts } from '../src/compose';
import { loadConfig } from '../src/config';
import { handleHook } from '../src/service/handle-hook';
import { OutcomeError, badRequest, internalError } from '../src/errors';
import { createLogger } from '../src/logging';
import { checkInputLimits, inputLimitError } from '../src/security/input-limits';
import { benchApp } from './bench-app';

/**
 * EXPERIMENT, not the service: what the service would gain from taking hook calls off the event loop
 * (BENCHMARKS.md). `npm run bench:offload` compiles it (bench/tsconfig.offload.json, into dist/offload; run
 * under tsx, its workers measured 15-20% slower) and runs it against the service and the ceiling.
 *
 * The main thread is express with the service's app settings, reading the body as raw bytes (the same
 * limit and media types as the service's `express.json`), and hands the bytes, transferred, not copied, to
 * the least busy of HOOK_WORKERS worker threads. Each worker composes the service as src/main.ts does
 * (content, terminology, and `createAuditStore`: the SQLite audit store with its writer thread), then
 * parses, checks the input limits, runs `handleHook` and serialises; the main thread writes the answer.
 * Errors come back as the service's OperationOutcome and status. Left out, as they do not change the cost of the bench call:
 * authentication, CORS, request ids, feedback, analytics and graceful shutdown.
 */
interface HookJob {
  readonly id: number;
  readonly serviceId: string;
  readonly body: ArrayBuffer;
}
interface HookAnswer {
  readonly id: number;
  readonly status: number;
  readonly json: string;
}

const config = loadConfig(process.env);

function mainThread(): void {
  const count = Number(process.env['HOOK_WORKERS'] ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error('HOOK_WORKERS takes an integer from 1 to 16');
  const waiting = new Map<number, express.Response>();
  const workers = Array.from({ length: count }, () => {
    // Compiled (as `npm run bench:offload` runs it, like the service) or, for trying changes, under tsx.
    const worker = new Worker(__filename, __filename.endsWith('.js') ? {} : { execArgv: ['--require', 'tsx/cjs'] });
    const slot = { worker, inFlight: 0 };
    worker.on('message', (answer: HookAnswer) => {
      slot.inFlight -= 1;
      const res = waiting.get(answer.id);
      waiting.delete(answer.id);
      res?.status(answer.status).type('application/json').send(answer.json);
    });
    worker.on('error', (err) => {
      process.stderr.write(`hook worker failed: ${err.message}\n`);
      process.exit(1);
    });
    return slot;
  });
  let nextId = 0;
  const app = benchApp();
  app.use(express.raw({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.post('/cds-services/:id', (req, res) => {
    const bytes = req.body as Buffer;
    let slot = workers[0];
    for (const w of workers) if (slot === undefined || w.inFlight < slot.inFlight) slot = w;
    if (slot === undefined) throw new Error('no hook worker');
    // A copy the size of the body, which can then be moved to the worker (raw-body's Buffer may share its
    // ArrayBuffer with other allocations).
    const body = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(body).set(bytes);
    nextId += 1;
    waiting.set(nextId, res);
    slot.inFlight += 1;
    const job: HookJob = { id: nextId, serviceId: req.params.id, body };
    slot.worker.postMessage(job, [body]);
  });
  const server = app.listen(config.port, config.host);
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

async function hookWorker(port: NonNullable<typeof parentPort>): Promise<void> {
  const log = createLogger(config);
  const parts = loadServiceParts(config);
  const store = await createAuditStore(config, log);
  const deps = hookDeps(config, parts, store, log);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const limits = { maxDepth: config.maxJsonDepth, maxBundleEntries: config.maxBundleEntries };
  port.on('message', (job: HookJob) => {
    void answer(job).then((a) => port.postMessage(a));
  });
  async function answer(job: HookJob): Promise<HookAnswer> {
    try {
      let body: unknown;
      try {
        body = JSON.parse(decoder.decode(job.body));
      } catch {
        throw badRequest([{ diagnostics: 'The request body is not valid JSON', expression: '(body)' }]);
      }
      const violation = checkInputLimits(body, limits);
      if (violation !== undefined) throw inputLimitError(violation, limits);
      return { id: job.id, status: 200, json: JSON.stringify(await handleHook(job.serviceId, body, {}, deps)) };
    } catch (err) {
      const outcome = err instanceof OutcomeError ? err : internalError(String(job.id));
      return { id: job.id, status: outcome.status, json: JSON.stringify(outcome.outcome) };
    }
  }
}

if (isMainThread) mainThread();
else if (parentPort !== null) {
  const port = parentPort;
  hookWorker(port).catch((err: unknown) => {
    process.stderr.write(`hook worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
