import { Pool, type PoolClient } from 'pg';
import { MIGRATIONS } from './migrations';
import {
  assertHashSecret,
  hashPatientId,
  normaliseFeedback,
  nullable,
  rollUp,
  type DayChangeRow,
  type DayCountRow,
  type DayReasonRow,
} from './store-support';
import type {
  AuditStore,
  FeedbackBatch,
  FeedbackResult,
  InvocationAudit,
  RuleAnalyticsQuery,
  RuleAnalyticsRow,
} from './types';

export interface PostgresStoreOptions {
  connectionString: string;
  patientHashSecret: string;
}

// Arbitrary constant identifying "imaging-cds migrations" for pg_advisory_xact_lock.
const MIGRATION_LOCK_KEY = 7_310_642_001;
const DAY = `to_char(c.shown_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Applies pending migrations in one transaction under an advisory lock (several replicas may start at once). */
export async function migratePostgres(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query(m.postgres);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
  });
}

export class PostgresAuditStore implements AuditStore {
  readonly dialect = 'postgres' as const;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly secret: string,
  ) {}

  static async open(options: PostgresStoreOptions): Promise<PostgresAuditStore> {
    assertHashSecret(options.patientHashSecret);
    const pool = new Pool({ connectionString: options.connectionString, max: 10 });
    // Without a listener, an idle client dropped by the server (restart, failover) crashes the
    // process; the pool discards the client and the next query reconnects.
    pool.on('error', () => undefined);
    try {
      await migratePostgres(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresAuditStore(pool, options.patientHashSecret);
  }

  async recordInvocation(a: InvocationAudit): Promise<void> {
    return this.recordInvocations([a]);
  }

  async recordInvocations(batch: readonly InvocationAudit[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      for (const a of batch) {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO invocations
            (service_id, hook, hook_instance, received_at, client_iss, tenant, patient_hash, order_codes, status, duration_ms)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) RETURNING id`,
          [
            a.serviceId,
            a.hook,
            a.hookInstance,
            a.receivedAt,
            nullable(a.clientIss),
            nullable(a.tenant),
            hashPatientId(this.secret, a.patientId),
            JSON.stringify(a.orderCodes),
            a.status,
            a.durationMs,
          ],
        );
        const invocationId = rows[0]?.id;
        for (const c of a.cards) {
          // A repeated card uuid would be a bug upstream; keep the first and still record the call.
          const inserted = await client.query(
            `INSERT INTO cards (uuid, invocation_id, shown_at, rule, indicator, orders)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (uuid) DO NOTHING`,
            [c.uuid, invocationId, a.receivedAt, c.rule, c.indicator, JSON.stringify(c.orders)],
          );
          if (inserted.rowCount === 0) continue;
          for (const s of c.suggestions) {
            await client.query(
              `INSERT INTO card_suggestions (card_uuid, uuid, label, from_code, to_code)
              VALUES ($1, $2, $3, $4, $5) ON CONFLICT (card_uuid, uuid) DO NOTHING`,
              [c.uuid, s.uuid, s.label, nullable(s.fromCode), nullable(s.toCode)],
            );
          }
        }
      }
    });
  }

  async recordFeedback(b: FeedbackBatch): Promise<FeedbackResult> {
    const items = b.items.map(normaliseFeedback);
    // COMMIT returns once the WAL is flushed (synchronous_commit defaults to on), before our 200.
    return inTransaction(this.pool, async (client) => {
      const result: FeedbackResult = { stored: 0, duplicates: 0, unknownCards: 0 };
      for (const f of items) {
        const known = await client.query('SELECT 1 FROM cards WHERE uuid = $1', [f.card]);
        const unknown = known.rowCount === 0;
        if (unknown) result.unknownCards += 1;
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO feedback
            (card_uuid, outcome, outcome_timestamp, outcome_at, received_at, service_id, client_iss, tenant,
             reason_system, reason_code, reason_display, user_comment, unknown_card)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
          ON CONFLICT ON CONSTRAINT feedback_idempotency DO NOTHING
          RETURNING id`,
          [
            f.card,
            f.outcome,
            f.outcomeTimestamp,
            f.outcomeAt,
            b.receivedAt,
            b.serviceId,
            nullable(b.clientIss),
            nullable(b.tenant),
            f.reasonSystem,
            f.reasonCode,
            f.reasonDisplay,
            f.userComment,
            unknown,
          ],
        );
        const id = rows[0]?.id;
        if (id === undefined) {
          result.duplicates += 1;
          continue;
        }
        result.stored += 1;
        for (const suggestion of f.acceptedSuggestionIds) {
          await client.query(
            'INSERT INTO feedback_accepted_suggestions (feedback_id, suggestion_uuid) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            [id, suggestion],
          );
        }
      }
      return result;
    });
  }

  async ruleAnalytics(q: RuleAnalyticsQuery): Promise<RuleAnalyticsRow[]> {
    const range = [q.from, q.to];
    // COUNT/SUM are bigint, which node-pg returns as strings; the casts keep them numbers.
    const counts = await this.pool.query<DayCountRow>(
      `SELECT c.rule AS rule, ${DAY} AS day, COUNT(*)::int AS shown,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid) THEN 1 ELSE 0 END)::int AS answered,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid AND f.outcome = 'accepted') THEN 1 ELSE 0 END)::int AS accepted,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid AND f.outcome = 'overridden') THEN 1 ELSE 0 END)::int AS overridden
      FROM cards c
      WHERE c.shown_at >= $1 AND c.shown_at < $2
      GROUP BY c.rule, ${DAY}`,
      range,
    );
    const reasons = await this.pool.query<DayReasonRow>(
      `SELECT c.rule AS rule, ${DAY} AS day, f.reason_system AS system, f.reason_code AS code,
        MAX(f.reason_display) AS display, COUNT(DISTINCT f.card_uuid)::int AS count
      FROM feedback f JOIN cards c ON c.uuid = f.card_uuid
      WHERE f.outcome = 'overridden' AND f.reason_code IS NOT NULL AND c.shown_at >= $1 AND c.shown_at < $2
      GROUP BY c.rule, ${DAY}, f.reason_system, f.reason_code`,
      range,
    );
    const changes = await this.pool.query<DayChangeRow>(
      `SELECT c.rule AS rule, ${DAY} AS day, s.from_code AS "fromCode", s.to_code AS "toCode",
        COUNT(DISTINCT s.card_uuid || '|' || s.uuid)::int AS count
      FROM feedback f
        JOIN feedback_accepted_suggestions a ON a.feedback_id = f.id
        JOIN card_suggestions s ON s.card_uuid = f.card_uuid AND s.uuid = a.suggestion_uuid
        JOIN cards c ON c.uuid = f.card_uuid
      WHERE f.outcome = 'accepted' AND (s.from_code IS NOT NULL OR s.to_code IS NOT NULL)
        AND c.shown_at >= $1 AND c.shown_at < $2
      GROUP BY c.rule, ${DAY}, s.from_code, s.to_code`,
      range,
    );
    return rollUp(q.period, counts.rows, reasons.rows, changes.rows);
  }

  async purgeOlderThan(cutoff: Date): Promise<{ invocations: number; feedback: number }> {
    // Cards, suggestions and accepted-suggestion links go with their parent (ON DELETE CASCADE).
    return inTransaction(this.pool, async (client) => {
      const invocations = await client.query('DELETE FROM invocations WHERE received_at < $1', [cutoff]);
      const feedback = await client.query('DELETE FROM feedback WHERE received_at < $1', [cutoff]);
      return { invocations: invocations.rowCount ?? 0, feedback: feedback.rowCount ?? 0 };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
