import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createStore } from '../../../src/store/create-store';
import { MIGRATIONS } from '../../../src/store/migrations';
import { hashPatientId, isoWeekOf } from '../../../src/store/store-support';
import type { AuditStore, InvocationAudit } from '../../../src/store/types';
import { createThrowawayDatabase, skipPostgres, type ThrowawayDatabase } from './helpers/postgres';
import { PATIENT_ID, REASON_SYSTEM, RULES, cardUuid, seedAnalytics, suggestionUuid } from './helpers/seed';

const SECRET = 'contract-suite-patient-hash-secret';
const BASE = new Date('2026-11-02T00:00:00Z'); // a Monday

/** What the contract suite needs from each adapter, besides the store itself. */
interface AdapterFixture {
  open(): Promise<AuditStore>;
  /** Plain SQL that is valid in both dialects; booleans normalised by the caller. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Every row of every table, as text, plus (SQLite) the raw database file bytes. */
  dumpEverything(): Promise<string>;
  dispose(): Promise<void>;
}

async function sqliteFixture(): Promise<AdapterFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'imaging-cds-store-'));
  // A nested folder proves createStore creates it on first start.
  const path = join(dir, 'nested', 'audit.sqlite');
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    open: () => createStore({ sqlitePath: path, patientHashSecret: SECRET }),
    query: async (sql) => withDb((db) => db.prepare(sql).all() as Record<string, unknown>[]),
    dumpEverything: async () => {
      const rows = withDb((db) => {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
        return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all()));
      });
      const files = readdirSync(join(dir, 'nested')).map((f) => readFileSync(join(dir, 'nested', f)).toString('latin1'));
      return [...rows, ...files].join('\n');
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresFixture(): Promise<AdapterFixture> {
  const db: ThrowawayDatabase = await createThrowawayDatabase();
  const withClient = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    open: () => createStore({ databaseUrl: db.url, sqlitePath: '/nonexistent/unused.sqlite', patientHashSecret: SECRET }),
    query: (sql) => withClient(async (c) => (await c.query(sql)).rows as Record<string, unknown>[]),
    dumpEverything: () =>
      withClient(async (c) => {
        const tables = await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        const out: string[] = [];
        for (const { tablename } of tables.rows) {
          const rows = await c.query(`SELECT row_to_json(t)::text AS j FROM "${tablename}" t`);
          out.push(...rows.rows.map((r: { j: string }) => r.j));
        }
        return out.join('\n');
      }),
    dispose: () => db.drop(),
  };
}

const adapters: [string, () => Promise<AdapterFixture>, boolean][] = [
  ['sqlite', sqliteFixture, false],
  ['postgres', postgresFixture, skipPostgres],
];

describe.each(adapters)('AuditStore contract: %s', (dialect, makeFixture, skip) => {
  const maybe = skip ? describe.skip : describe;
  maybe(dialect, () => {
    let fixture: AdapterFixture;
    let store: AuditStore;

    beforeAll(async () => {
      fixture = await makeFixture();
      store = await fixture.open();
    }, 30_000);

    afterAll(async () => {
      await store?.close();
      await fixture?.dispose();
    }, 30_000);

    it('reports its dialect', () => {
      expect(store.dialect).toBe(dialect);
    });

    it('runs migrations idempotently (a second start applies nothing and breaks nothing)', async () => {
      const again = await fixture.open();
      await again.close();
      const third = await fixture.open();
      await third.close();
      const rows = await fixture.query('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => [Number(r.version), r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    });

    it('records an invocation with its cards and suggestions, the patient only as a keyed hash', async () => {
      const audit: InvocationAudit = {
        serviceId: 'imaging-appropriateness',
        hook: 'order-select',
        hookInstance: 'aaaaaaaa-1111-4000-8000-000000000001',
        receivedAt: new Date('2025-03-04T05:06:07.089Z'),
        clientIss: 'https://ehr.example.org',
        tenant: 'tenant-b',
        patientId: PATIENT_ID,
        orderCodes: ['70553', '77046'],
        cards: [
          {
            uuid: 'cccccccc-0000-4000-8000-000000000001',
            rule: RULES.bilateral,
            indicator: 'critical',
            orders: ['77046'],
            suggestions: [
              { uuid: 'dddddddd-0000-4000-8000-000000000001', label: 'Order bilateral', fromCode: '77046', toCode: '77047' },
              { uuid: 'dddddddd-0000-4000-8000-000000000002', label: 'Keep as is' },
            ],
          },
        ],
        status: 200,
        durationMs: 41.25,
      };
      await store.recordInvocation(audit);
      const [inv] = await fixture.query(
        "SELECT id, service_id, hook, hook_instance, client_iss, tenant, patient_hash, status, duration_ms FROM invocations WHERE hook_instance = 'aaaaaaaa-1111-4000-8000-000000000001'",
      );
      expect(inv).toMatchObject({
        service_id: 'imaging-appropriateness',
        hook: 'order-select',
        client_iss: 'https://ehr.example.org',
        tenant: 'tenant-b',
        patient_hash: hashPatientId(SECRET, PATIENT_ID),
        status: 200,
      });
      expect(Number(inv?.duration_ms)).toBe(41.25);
      expect(String(inv?.patient_hash)).toMatch(/^[0-9a-f]{64}$/);
      const cards = await fixture.query(
        "SELECT rule, indicator FROM cards WHERE uuid = 'cccccccc-0000-4000-8000-000000000001'",
      );
      expect(cards).toEqual([{ rule: RULES.bilateral, indicator: 'critical' }]);
      const suggestions = await fixture.query(
        "SELECT uuid, label, from_code, to_code FROM card_suggestions WHERE card_uuid = 'cccccccc-0000-4000-8000-000000000001' ORDER BY uuid",
      );
      expect(suggestions).toEqual([
        { uuid: 'dddddddd-0000-4000-8000-000000000001', label: 'Order bilateral', from_code: '77046', to_code: '77047' },
        { uuid: 'dddddddd-0000-4000-8000-000000000002', label: 'Keep as is', from_code: null, to_code: null },
      ]);
    });

    it('records an invocation without client or patient (both optional)', async () => {
      await store.recordInvocation({
        serviceId: 'imaging-appropriateness',
        hook: 'order-sign',
        hookInstance: 'aaaaaaaa-1111-4000-8000-000000000002',
        receivedAt: new Date('2025-03-04T06:00:00Z'),
        orderCodes: [],
        cards: [],
        status: 400,
        durationMs: 1,
      });
      const rows = await fixture.query(
        "SELECT client_iss, tenant, patient_hash, status FROM invocations WHERE hook_instance = 'aaaaaaaa-1111-4000-8000-000000000002'",
      );
      expect(rows).toEqual([{ client_iss: null, tenant: null, patient_hash: null, status: 400 }]);
    });

    it('stores feedback once for the same card, outcome and outcomeTimestamp', async () => {
      await store.recordInvocation({
        serviceId: 'imaging-appropriateness',
        hook: 'order-sign',
        hookInstance: 'aaaaaaaa-1111-4000-8000-000000000003',
        receivedAt: new Date('2025-05-01T08:00:00Z'),
        orderCodes: ['78812'],
        cards: [{ uuid: 'cccccccc-0000-4000-8000-000000000003', rule: RULES.petCt, indicator: 'warning', orders: ['78812'], suggestions: [] }],
        status: 200,
        durationMs: 3,
      });
      const item = {
        card: 'cccccccc-0000-4000-8000-000000000003',
        outcome: 'overridden' as const,
        overrideReason: { reason: { system: REASON_SYSTEM, code: 'clinical-judgement', display: 'Clinical judgement' } },
        outcomeTimestamp: '2025-05-01T08:01:00Z',
      };
      const batch = { serviceId: 'imaging-appropriateness', receivedAt: new Date('2025-05-01T08:01:05Z'), items: [item, item] };
      expect(await store.recordFeedback(batch)).toEqual({ stored: 1, duplicates: 1, unknownCards: 0 });
      expect(await store.recordFeedback(batch)).toEqual({ stored: 0, duplicates: 2, unknownCards: 0 });
      // A later decision on the same card is a different event and is kept.
      expect(
        await store.recordFeedback({ ...batch, items: [{ ...item, outcomeTimestamp: '2025-05-01T08:02:00Z' }] }),
      ).toEqual({ stored: 1, duplicates: 0, unknownCards: 0 });
      const rows = await fixture.query(
        "SELECT outcome, reason_code, reason_display, unknown_card FROM feedback WHERE card_uuid = 'cccccccc-0000-4000-8000-000000000003'",
      );
      expect(rows.map((r) => ({ ...r, unknown_card: Boolean(r.unknown_card) }))).toEqual([
        { outcome: 'overridden', reason_code: 'clinical-judgement', reason_display: 'Clinical judgement', unknown_card: false },
        { outcome: 'overridden', reason_code: 'clinical-judgement', reason_display: 'Clinical judgement', unknown_card: false },
      ]);
    });

    it('stores and flags feedback for an unknown card instead of rejecting it', async () => {
      const result = await store.recordFeedback({
        serviceId: 'imaging-appropriateness',
        clientIss: 'https://ehr.example.org',
        receivedAt: new Date('2025-05-02T00:00:00Z'),
        items: [
          { card: 'eeeeeeee-0000-4000-8000-00000000dead', outcome: 'accepted', acceptedSuggestions: [{ id: 'x' }], outcomeTimestamp: '2025-05-02T00:00:00Z' },
        ],
      });
      expect(result).toEqual({ stored: 1, duplicates: 0, unknownCards: 1 });
      const rows = await fixture.query(
        "SELECT unknown_card, client_iss FROM feedback WHERE card_uuid = 'eeeeeeee-0000-4000-8000-00000000dead'",
      );
      expect(rows.map((r) => ({ ...r, unknown_card: Boolean(r.unknown_card) }))).toEqual([
        { unknown_card: true, client_iss: 'https://ehr.example.org' },
      ]);
    });

    it('never stores the raw patient id anywhere', async () => {
      await seedAnalytics(store, BASE);
      const dump = await fixture.dumpEverything();
      expect(dump.length).toBeGreaterThan(1000);
      expect(dump).toContain(hashPatientId(SECRET, PATIENT_ID));
      expect(dump).not.toContain(PATIENT_ID);
    });

    it('computes per-rule, per-month analytics with exact figures', async () => {
      const rows = await store.ruleAnalytics({ from: BASE, to: new Date('2027-01-01T00:00:00Z'), period: 'month' });
      expect(rows).toEqual([
        {
          rule: RULES.bilateral,
          period: '2026-11',
          shown: 1,
          accepted: 1,
          overridden: 0,
          ignored: 0,
          overrideRate: 0,
          topOverrideReasons: [],
          changedOrders: [{ fromCode: '77046', toCode: '77047', count: 1 }],
        },
        {
          rule: RULES.petCt,
          period: '2026-11',
          shown: 2,
          accepted: 1,
          overridden: 1,
          ignored: 0,
          overrideRate: 0.5,
          topOverrideReasons: [{ code: 'clinical-judgement', system: REASON_SYSTEM, display: 'Clinical judgement', count: 1 }],
          changedOrders: [{ fromCode: '78811', toCode: '78814', count: 1 }],
        },
        {
          rule: RULES.duplicate,
          period: '2026-11',
          shown: 4,
          accepted: 1,
          overridden: 2,
          ignored: 1,
          overrideRate: 0.5,
          topOverrideReasons: [{ code: 'patient-preference', system: REASON_SYSTEM, display: 'Patient preference', count: 2 }],
          changedOrders: [{ fromCode: '70553', toCode: null, count: 1 }],
        },
        {
          rule: RULES.duplicate,
          period: '2026-12',
          shown: 1,
          accepted: 0,
          overridden: 1,
          ignored: 0,
          overrideRate: 1,
          topOverrideReasons: [{ code: 'clinical-judgement', system: REASON_SYSTEM, display: 'Clinical judgement', count: 1 }],
          changedOrders: [],
        },
      ]);
    });

    it('buckets by ISO week and by day, honouring the half-open range', async () => {
      const weeks = await store.ruleAnalytics({ from: BASE, to: new Date('2026-11-16T00:00:00Z'), period: 'week' });
      expect(weeks.map((r) => [r.period, r.rule, r.shown, r.accepted, r.overridden, r.ignored])).toEqual([
        ['2026-W45', RULES.bilateral, 1, 1, 0, 0],
        ['2026-W45', RULES.petCt, 1, 0, 1, 0],
        ['2026-W45', RULES.duplicate, 2, 1, 1, 0],
        ['2026-W46', RULES.petCt, 1, 1, 0, 0],
        ['2026-W46', RULES.duplicate, 2, 0, 1, 1],
      ]);
      // 'to' is exclusive: the 2026-11-10 cards are out, the 2026-11-03 card is in.
      const days = await store.ruleAnalytics({ from: new Date('2026-11-03T00:00:00Z'), to: new Date('2026-11-10T00:00:00Z'), period: 'day' });
      expect(days.map((r) => [r.period, r.rule, r.shown])).toEqual([['2026-11-03', RULES.petCt, 1]]);
      // The card shown before the range (with its feedback) never leaks in.
      const before = await store.ruleAnalytics({ from: new Date('2026-10-01T00:00:00Z'), to: BASE, period: 'month' });
      expect(before).toEqual([expect.objectContaining({ rule: RULES.duplicate, period: '2026-10', shown: 1, accepted: 1 })]);
      expect(isoWeekOf('2026-11-02')).toBe('2026-W45');
    });

    it('counts feedback that arrived before its audit row once the audit row exists', async () => {
      const uuid = 'ffffffff-0000-4000-8000-000000000001';
      const early = await store.recordFeedback({
        serviceId: 'imaging-appropriateness',
        receivedAt: new Date('2024-02-01T09:00:00Z'),
        items: [{ card: uuid, outcome: 'overridden', outcomeTimestamp: '2024-02-01T09:00:00Z' }],
      });
      expect(early.unknownCards).toBe(1);
      await store.recordInvocation({
        serviceId: 'imaging-appropriateness',
        hook: 'order-sign',
        hookInstance: 'aaaaaaaa-1111-4000-8000-000000000009',
        receivedAt: new Date('2024-02-01T08:59:59Z'),
        orderCodes: ['70553'],
        cards: [{ uuid, rule: 'late-audit-rule', indicator: 'info', orders: ['70553'], suggestions: [] }],
        status: 200,
        durationMs: 2,
      });
      const rows = await store.ruleAnalytics({ from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-02-02T00:00:00Z'), period: 'day' });
      expect(rows).toEqual([
        expect.objectContaining({ rule: 'late-audit-rule', period: '2024-02-01', shown: 1, overridden: 1, overrideRate: 1 }),
      ]);
    });

    it('purges invocations, cards and feedback received before the cutoff, and nothing after', async () => {
      const mk = (n: number, receivedAt: string): InvocationAudit => ({
        serviceId: 'imaging-appropriateness',
        hook: 'order-sign',
        hookInstance: `bbbbbbbb-0000-4000-8000-00000000000${n}`,
        receivedAt: new Date(receivedAt),
        orderCodes: ['70553'],
        cards: [
          {
            uuid: `bbbbbbbb-cccc-4000-8000-00000000000${n}`,
            rule: 'purge-rule',
            indicator: 'info',
            orders: ['70553'],
            suggestions: [{ uuid: `s-${n}`, label: 'x', fromCode: '70553', toCode: '70551' }],
          },
        ],
        status: 200,
        durationMs: 1,
      });
      await store.recordInvocation(mk(1, '2020-01-01T00:00:00Z'));
      await store.recordInvocation(mk(2, '2020-05-31T23:59:59.999Z'));
      await store.recordInvocation(mk(3, '2020-06-01T00:00:00Z'));
      const fb = (n: number, receivedAt: string) =>
        store.recordFeedback({
          serviceId: 'imaging-appropriateness',
          receivedAt: new Date(receivedAt),
          items: [{ card: `bbbbbbbb-cccc-4000-8000-00000000000${n}`, outcome: 'accepted', acceptedSuggestions: [{ id: `s-${n}` }], outcomeTimestamp: receivedAt }],
        });
      await fb(1, '2020-01-01T00:05:00Z');
      await fb(2, '2020-06-01T00:00:00Z'); // card is old, feedback is not: the feedback stays
      await fb(3, '2020-06-02T00:00:00Z');

      expect(await store.purgeOlderThan(new Date('2020-06-01T00:00:00Z'))).toEqual({ invocations: 2, feedback: 1 });
      const left = await fixture.query(
        "SELECT hook_instance FROM invocations WHERE hook_instance LIKE 'bbbbbbbb-%' ORDER BY hook_instance",
      );
      expect(left.map((r) => r.hook_instance)).toEqual(['bbbbbbbb-0000-4000-8000-000000000003']);
      const cards = await fixture.query("SELECT uuid FROM cards WHERE rule = 'purge-rule'");
      expect(cards.map((r) => r.uuid)).toEqual(['bbbbbbbb-cccc-4000-8000-000000000003']);
      const suggestions = await fixture.query("SELECT uuid FROM card_suggestions WHERE uuid LIKE 's-%'");
      expect(suggestions.map((r) => r.uuid)).toEqual(['s-3']);
      const feedback = await fixture.query(
        "SELECT card_uuid FROM feedback WHERE card_uuid LIKE 'bbbbbbbb-cccc-%' ORDER BY card_uuid",
      );
      expect(feedback.map((r) => r.card_uuid)).toEqual(['bbbbbbbb-cccc-4000-8000-000000000002', 'bbbbbbbb-cccc-4000-8000-000000000003']);
      const links = await fixture.query('SELECT COUNT(*) AS n FROM feedback_accepted_suggestions a LEFT JOIN feedback f ON f.id = a.feedback_id WHERE f.id IS NULL');
      expect(Number(links[0]?.n)).toBe(0);
      // Purging again with the same cutoff finds nothing; the seeded 2026 data is untouched.
      expect(await store.purgeOlderThan(new Date('2020-06-01T00:00:00Z'))).toEqual({ invocations: 0, feedback: 0 });
      const seeded = await store.ruleAnalytics({ from: BASE, to: new Date('2027-01-01T00:00:00Z'), period: 'month' });
      expect(seeded).toHaveLength(4);
    });
  });
});

describe('createStore', () => {
  it('refuses a DATABASE_URL that is neither empty nor PostgreSQL', async () => {
    await expect(createStore({ databaseUrl: 'mysql://x', sqlitePath: ':memory:', patientHashSecret: SECRET })).rejects.toThrow(/postgres/);
  });
  it('fails start-up (no silent fallback) when PostgreSQL is configured but unreachable', async () => {
    await expect(
      createStore({ databaseUrl: 'postgresql://nobody@127.0.0.1:1/imaging', sqlitePath: ':memory:', patientHashSecret: SECRET }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
  });
  it('refuses a short patient hash secret', async () => {
    await expect(createStore({ sqlitePath: ':memory:', patientHashSecret: 'short' })).rejects.toThrow(/16 characters/);
  });
  it('unknown suggestion ids in feedback are harmless', async () => {
    const store = await createStore({ sqlitePath: ':memory:', patientHashSecret: SECRET });
    await seedAnalytics(store, BASE);
    const r = await store.recordFeedback({
      serviceId: 's',
      receivedAt: BASE,
      items: [{ card: cardUuid(7), outcome: 'accepted', acceptedSuggestions: [{ id: suggestionUuid(99) }], outcomeTimestamp: 'not-a-date' }],
    });
    expect(r).toEqual({ stored: 1, duplicates: 0, unknownCards: 0 });
    await store.close();
  });
});
