import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteAuditStore } from '../../../src/store/sqlite-store';
import type { InvocationAudit } from '../../../src/store/types';
import { WorkerAuditWriter } from '../../../src/store/worker-audit-writer';
import { WriteBehindAuditStore } from '../../../src/store/write-behind-store';

/** Audit batches written by a worker thread on its own SQLite connection are seen by the main connection. */
const call = (n: number): InvocationAudit => ({
  serviceId: 'imaging-order-sign',
  hook: 'order-sign',
  hookInstance: `hook-${n}`,
  receivedAt: new Date('2026-11-23T10:00:00Z'),
  patientId: 'pat-1',
  orderCodes: ['72148'],
  cards: [{ uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, rule: 'mri-device', indicator: 'warning', orders: ['ServiceRequest/sr-1'], suggestions: [{ uuid: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`, label: 'Order CT instead', fromCode: '72148', toCode: '72131' }] }],
  status: 200,
  durationMs: 2,
});

describe('WorkerAuditWriter', () => {
  it('writes batches off the main thread; feedback and analytics on the main connection see them', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imaging-cds-worker-')), 'audit.sqlite');
    const secret = 'test-only-patient-hash-secret';
    const errors: unknown[] = [];
    const main = new SqliteAuditStore({ path: file, patientHashSecret: secret });
    const store = new WriteBehindAuditStore(main, { flushMs: 10_000, maxBatch: 1_000, maxPending: 10_000, onError: (e) => errors.push(e) }, new WorkerAuditWriter({ sqlitePath: file, patientHashSecret: secret }));
    for (let n = 1; n <= 50; n += 1) await store.recordInvocation(call(n));
    const result = await store.recordFeedback({
      serviceId: 'imaging-order-sign',
      receivedAt: new Date('2026-11-23T10:05:00Z'),
      items: [{ card: call(7).cards[0]!.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: call(7).cards[0]!.suggestions[0]!.uuid }], outcomeTimestamp: '2026-11-23T10:05:00Z' }],
    });
    expect(result).toEqual({ stored: 1, duplicates: 0, unknownCards: 0 });
    const [row] = await store.ruleAnalytics({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z'), period: 'day' });
    expect(row).toMatchObject({ rule: 'mri-device', shown: 50, accepted: 1, changedOrders: [{ fromCode: '72148', toCode: '72131', count: 1 }] });
    await store.close();
    expect(errors).toEqual([]);
  }, 30_000);

  it('starts a new worker when the previous one has gone', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imaging-cds-worker-')), 'audit.sqlite');
    const secret = 'test-only-patient-hash-secret';
    const main = new SqliteAuditStore({ path: file, patientHashSecret: secret });
    const writer = new WorkerAuditWriter({ sqlitePath: file, patientHashSecret: secret });
    await writer.write([call(1)]);
    await writer.close(); // the thread is gone
    await writer.write([call(2)]);
    await writer.close();
    const [row] = await main.ruleAnalytics({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z'), period: 'day' });
    expect(row).toMatchObject({ rule: 'mri-device', shown: 2 });
    await main.close();
  }, 30_000);
});
