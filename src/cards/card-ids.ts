import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Random bytes for the ids, drawn from the kernel 4 KiB at a time. The `uuid` package refills a 256-byte
 * pool, i.e. a `randomFillSync` call every 16 ids, and a call answers with ~20 ids: that refill was 1.8% of
 * the event loop under load (docs/performance.md). Each id takes 16 fresh bytes; none is ever handed out twice.
 */
const POOL_BYTES = 4_096;
const pool = new Uint8Array(POOL_BYTES);
let next = POOL_BYTES;
/** The 16 bytes handed to `v7`, which copies them at once: one buffer and one options object, reused. */
const random = new Uint8Array(16);
const V7_OPTIONS = { random };

function nextRandomBytes(): void {
  if (next + 16 > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  for (let i = 0; i < 16; i += 1) random[i] = pool[next + i] ?? 0;
  next += 16;
}

/**
 * Card and suggestion uuids: RFC 9562 version 7, a millisecond timestamp followed by 74 random bits. CDS
 * Hooks asks only for a unique string that feedback echoes back; the random bits keep it unguessable, so
 * nobody can post feedback for a card they were not shown. Time order is for the audit trail, where the uuid
 * is a primary key: random (v4) keys land on a random page of the index on every insert, and the bench's
 * audit writer spent twice the CPU and five times the write I/O on them (docs/performance.md).
 */
export function newCardId(): string {
  nextRandomBytes();
  return v7(V7_OPTIONS);
}
