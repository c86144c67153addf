import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InvocationAudit } from './types';

/** Writes audit batches through the worker thread in `audit-writer-worker`; one promise per batch. */
export class WorkerAuditWriter {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  constructor(options: { readonly sqlitePath: string; readonly patientHashSecret: string }) {
    // Compiled: the sibling .js file. From TypeScript sources (tsx, jest): the .ts file, loaded through tsx.
    const compiled = __filename.endsWith('.js');
    const entry = path.join(__dirname, `audit-writer-worker.${compiled ? 'js' : 'ts'}`);
    this.worker = new Worker(entry, {
      workerData: { path: options.sqlitePath, patientHashSecret: options.patientHashSecret },
      ...(compiled ? {} : { execArgv: ['--require', 'tsx/cjs'] }),
    });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error === undefined) w?.resolve();
      else w?.reject(new Error(m.error));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('audit writer thread exited')));
  }

  write(batch: readonly InvocationAudit[]): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, batch });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
