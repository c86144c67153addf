import { parentPort, workerData } from 'node:worker_threads';
import { SqliteAuditStore } from './sqlite-store';
import type { InvocationAudit } from './types';

/**
 * Worker thread that writes batches of hook-call audit records to the SQLite file on its own connection
 * (WAL allows one writer at a time; the main thread's connection keeps feedback, analytics and purge).
 * Its purpose is to take the inserts and the commit's fsync off the event loop that answers EHRs.
 */
interface Start {
  readonly path: string;
  readonly patientHashSecret: string;
}

const { path, patientHashSecret } = workerData as Start;
const store = new SqliteAuditStore({ path, patientHashSecret });
const port = parentPort;
if (port === null) throw new Error('audit-writer-worker must run as a worker thread');

port.on('message', (message: { readonly id: number; readonly batch: readonly InvocationAudit[] }) => {
  store.recordInvocations(message.batch).then(
    () => port.postMessage({ id: message.id }),
    (err: unknown) => port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
