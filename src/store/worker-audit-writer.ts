import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InvocationAudit } from './types';

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/**
 * Writes audit batches through the worker thread in `audit-writer-worker`; one promise per batch. The
 * worker's heap is capped (it only holds a batch at a time) so the second isolate costs little memory, and
 * a worker that died (out of memory, a crash) is started again on the next batch.
 */
export class WorkerAuditWriter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly options: { readonly sqlitePath: string; readonly patientHashSecret: string }) {}

  write(batch: readonly InvocationAudit[]): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, batch });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  private start(): Worker {
    // Compiled: the sibling .js file. From TypeScript sources (tsx, jest): the .ts file, through tsx's require hook.
    const compiled = __filename.endsWith('.js');
    const worker = new Worker(path.join(__dirname, `audit-writer-worker.${compiled ? 'js' : 'ts'}`), {
      workerData: { path: this.options.sqlitePath, patientHashSecret: this.options.patientHashSecret },
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 2 },
      ...(compiled ? {} : { execArgv: ['--require', 'tsx/cjs'] }),
    });
    worker.unref();
    worker.on('message', (m: { id: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error === undefined) w?.resolve();
      else w?.reject(new Error(m.error));
    });
    const failAll = (e: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('audit writer thread exited')));
    this.worker = worker;
    return worker;
  }
}
