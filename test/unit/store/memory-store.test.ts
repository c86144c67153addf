import type { InvocationAudit } from '../../../src/store/types';
import { MemoryAuditStore } from '../../../src/store/memory-store';

const call = (n: number): InvocationAudit => ({
  serviceId: 'imaging-order-sign',
  hook: 'order-sign',
  hookInstance: `hook-${n}`,
  receivedAt: new Date(Date.UTC(2026, 10, 23, 10, 0, n)),
  patientId: 'pat-1',
  orderCodes: ['74177'],
  cards: [{ uuid: `card-${n}`, rule: 'contrast-renal', indicator: 'warning', orders: ['ServiceRequest/sr-ct'], suggestions: [] }],
  status: 200,
  durationMs: 1,
});

const overridden = (card: string) => ({ card, outcome: 'overridden' as const, outcomeTimestamp: '2026-11-23T10:05:00Z' });

describe('MemoryAuditStore', () => {
  it('keeps only the newest calls, so a long-running service does not grow without bound', async () => {
    const store = new MemoryAuditStore(3);
    for (let n = 1; n <= 5; n += 1) await store.recordInvocation(call(n));
    expect(store.invocations.map((i) => i.hookInstance)).toEqual(['hook-3', 'hook-4', 'hook-5']);
    expect(store.invocations.some((i) => 'patientId' in i)).toBe(false);
  });

  it('flags feedback on a card whose call was dropped as unknown, and still stores it', async () => {
    const store = new MemoryAuditStore(3);
    for (let n = 1; n <= 5; n += 1) await store.recordInvocation(call(n));
    const result = await store.recordFeedback({ serviceId: 'imaging-order-sign', receivedAt: new Date(), items: [overridden('card-1'), overridden('card-5')] });
    expect(result).toEqual({ stored: 2, duplicates: 0, unknownCards: 1 });
    expect(store.feedback.map((f) => [f.item.card, f.unknownCard])).toEqual([
      ['card-1', true],
      ['card-5', false],
    ]);
  });
});
