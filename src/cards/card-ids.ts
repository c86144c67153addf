import { v7 } from 'uuid';

/**
 * Card and suggestion uuids: RFC 9562 version 7 (the `uuid` package: a millisecond timestamp, a counter
 * seeded at random each millisecond, and 42 fresh random bits per id). CDS Hooks asks only for a unique
 * string that feedback echoes back; the random bits keep it unguessable, so nobody can post feedback for a
 * card they were not shown. Time order is for the audit trail, where the uuid is a primary key: random
 * (v4) keys land on a random page of the index on every insert, and the bench's audit writer spent twice the
 * CPU and five times the write I/O on them (BENCHMARKS.md).
 */
export const newCardId = (): string => v7();
