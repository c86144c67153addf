import { newCardId } from '../../../src/cards/card-ids';

describe('card and suggestion uuids', () => {
  it('are RFC 9562 version 7 uuids, unique, in the order they were made', () => {
    const ids = Array.from({ length: 2_000 }, () => newCardId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Time-ordered: the audit trail's primary-key index only ever grows at its end.
    expect([...ids].sort()).toEqual(ids);
  });

  it('end in fresh random bits, even for ids made in the same millisecond', () => {
    const tails = Array.from({ length: 1_000 }, () => newCardId().slice(-10));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
