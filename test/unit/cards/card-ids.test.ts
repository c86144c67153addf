import { newCardId } from '../../../src/cards/card-ids';

describe('card and suggestion uuids', () => {
  it('are RFC 9562 version 7 uuids, unique, ordered by the millisecond they were made in', async () => {
    const early = Array.from({ length: 2_000 }, () => newCardId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = Array.from({ length: 2_000 }, () => newCardId());
    for (const id of [...early, ...late]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([...early, ...late]).size).toBe(4_000);
    // Time-ordered: the audit trail's primary-key index grows at its end.
    const timeOf = (id: string): string => id.slice(0, 13);
    expect(early.map(timeOf)).toEqual([...early.map(timeOf)].sort());
    expect([...early].sort().at(-1)! < [...late].sort()[0]!).toBe(true);
  });

  it('carry fresh random bits after the timestamp, even for ids made in the same millisecond', () => {
    const tails = Array.from({ length: 1_000 }, () => newCardId().slice(15).replace('-', ''));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
