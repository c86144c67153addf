import { SqliteAuditStore } from '../../../src/store/sqlite-store';
import type { AuditStore, InvocationAudit } from '../../../src/store/types';
import { WriteBehindAuditStore } from '../../../src/store/write-behind-store';

const call = (n: number, cardUuid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`): InvocationAudit => ({
  serviceId: 'imaging-order-sign',
  hook: 'order-sign',
  hookInstance: `hook-${n}`,
  receivedAt: new Date('2026-11-23T10:00:00Z'),
  patientId: 'pat-1',
  orderCodes: ['74177'],
  cards: [{ uuid: cardUuid, rule: 'contrast-renal', indicator: 'warning', orders: ['ServiceRequest/sr-1'], suggestions: [] }],
  status: 200,
  durationMs: 3,
});

/** Counts the batches the buffer hands to the real SQLite store. */
function counted(inner: AuditStore): { store: AuditStore; batches: number[] } {
  const batches: number[] = [];
  const store: AuditStore = {
    get dialect() {
      return inner.dialect;
    },
    recordInvocation: (a) => inner.recordInvocation(a),
    recordInvocations: async (b) => {
      batches.push(b.length);
      await inner.recordInvocations(b);
    },
    recordFeedback: (b) => inner.recordFeedback(b),
    ruleAnalytics: (q) => inner.ruleAnalytics(q),
    purgeOlderThan: (c) => inner.purgeOlderThan(c),
    close: () => inner.close(),
  };
  return { store, batches };
}

const options = { flushMs: 10_000, maxBatch: 3, maxPending: 5, onError: () => undefined };

describe('WriteBehindAuditStore', () => {
  it('writes hook-call records in batches, and before any feedback so its card is known', async () => {
    const sqlite = new SqliteAuditStore({ path: ':memory:', patientHashSecret: 'test-only-patient-hash-secret' });
    const { store, batches } = counted(sqlite);
    const buffer = new WriteBehindAuditStore(store, options);
    for (const n of [1, 2, 3, 4]) await buffer.recordInvocation(call(n));
    await buffer.flush();
    expect(batches).toEqual([3, 1]); // maxBatch reached once, then the rest
    await buffer.recordInvocation(call(5));
    const result = await buffer.recordFeedback({
      serviceId: 'imaging-order-sign',
      receivedAt: new Date('2026-11-23T10:01:00Z'),
      items: [{ card: call(5).cards[0]!.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-23T10:01:00Z' }],
    });
    expect(result).toEqual({ stored: 1, duplicates: 0, unknownCards: 0 });
    const rows = await buffer.ruleAnalytics({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z'), period: 'day' });
    expect(rows.find((r) => r.rule === 'contrast-renal')).toMatchObject({ shown: 5, overridden: 1 });
    await buffer.close();
  });

  it('keeps records for a retry when the store fails, within its bound, and reports what it drops', async () => {
    let failing = true;
    const written: number[] = [];
    const errors: number[] = [];
    const flaky = {
      dialect: 'sqlite',
      recordInvocations: async (b: readonly InvocationAudit[]) => {
        if (failing) throw new Error('database is locked');
        written.push(...b.map((a) => Number(a.hookInstance.split('-')[1])));
      },
    } as unknown as AuditStore;
    const buffer = new WriteBehindAuditStore(flaky, { ...options, maxBatch: 100, onError: (_e, dropped) => errors.push(dropped) });
    for (const n of [1, 2, 3]) await buffer.recordInvocation(call(n));
    await buffer.flush();
    expect(errors).toEqual([0]); // kept for retry
    for (const n of [4, 5, 6]) await buffer.recordInvocation(call(n)); // 6 pending > maxPending 5: the oldest goes
    expect(errors).toEqual([0, 1]);
    failing = false;
    await buffer.flush();
    expect(written).toEqual([2, 3, 4, 5, 6]);
  });

  it('holds one write at a time: a slow writer makes records wait within the bound, never queues batches', async () => {
    const writes: { batch: number[]; done: () => void }[] = [];
    const slow = {
      write: (b: readonly InvocationAudit[]) =>
        new Promise<void>((resolve) => writes.push({ batch: b.map((a) => Number(a.hookInstance.split('-')[1])), done: resolve })),
      close: async () => undefined,
    };
    const dropped: number[] = [];
    const buffer = new WriteBehindAuditStore({} as AuditStore, { flushMs: 10_000, maxBatch: 2, maxPending: 4, onError: (_e, n) => dropped.push(n) }, slow);
    for (let n = 1; n <= 9; n += 1) await buffer.recordInvocation(call(n));
    // 1-2 went out as soon as they made a batch; while that write hangs, 3-9 wait, and only the newest 4 are kept.
    expect(writes.map((w) => w.batch)).toEqual([[1, 2]]);
    expect(dropped).toEqual([1, 1, 1]);
    writes[0]?.done();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.map((w) => w.batch)).toEqual([[1, 2], [6, 7]]);
    // A flush waits for what arrived before it, not for what keeps arriving.
    const flushed = buffer.flush();
    await buffer.recordInvocation(call(10));
    for (const w of writes.slice(1)) w.done();
    await new Promise((resolve) => setImmediate(resolve));
    for (const w of writes.slice(2)) w.done();
    await flushed;
    expect(writes.map((w) => w.batch).slice(0, 3)).toEqual([[1, 2], [6, 7], [8, 9]]);
    expect(writes.flatMap((w) => w.batch)).not.toContain(3);
  });

  it('backs off while writes keep failing, and writes at the normal pace again once one succeeds', async () => {
    jest.useFakeTimers();
    try {
      let failing = true;
      const attempts: number[] = [];
      const written: string[][] = [];
      const writer = {
        write: async (b: readonly InvocationAudit[]) => {
          attempts.push(Date.now());
          if (failing) throw new Error('audit writer thread exited');
          written.push(b.map((a) => a.hookInstance));
        },
        close: async () => undefined,
      };
      const errors: unknown[] = [];
      const buffer = new WriteBehindAuditStore({} as AuditStore, { flushMs: 50, maxBatch: 100, maxPending: 100, maxRetryMs: 400, onError: (e) => errors.push(e) }, writer);
      const start = Date.now();
      await buffer.recordInvocation(call(1));
      await jest.advanceTimersByTimeAsync(2_000);
      // First write after flushMs, then retries 50, 100, 200 ms apart, then every 400 ms (the cap): 8 attempts
      // in 2 s where a fixed 50 ms retry would make 40.
      expect(attempts.map((t) => t - start)).toEqual([50, 100, 200, 400, 800, 1200, 1600, 2000]);
      expect(errors).toHaveLength(8);
      failing = false;
      await buffer.recordInvocation(call(2));
      await jest.advanceTimersByTimeAsync(400);
      expect(attempts).toHaveLength(9);
      expect(written).toEqual([['hook-1', 'hook-2']]); // both records, in one write, at the next retry
      await buffer.recordInvocation(call(3));
      await jest.advanceTimersByTimeAsync(50);
      expect(written).toEqual([['hook-1', 'hook-2'], ['hook-3']]); // back to flushMs after a success
      expect(attempts[9]! - attempts[8]!).toBe(50);
    } finally {
      jest.useRealTimers();
    }
  });
});
