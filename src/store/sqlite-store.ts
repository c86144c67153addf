import Database from 'better-sqlite3';
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

export interface SqliteStoreOptions {
  /** File path (its folder must exist) or ':memory:'. */
  path: string;
  patientHashSecret: string;
}

const iso = (d: Date): string => d.toISOString();

/** Applies pending migrations; safe to call on every start and from concurrent processes. */
export function migrateSqlite(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const markApplied = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of MIGRATIONS) {
    // BEGIN IMMEDIATE takes the write lock before the check, so two processes starting together
    // cannot both decide to apply the same migration.
    db.transaction(() => {
      if (isApplied.get(m.version) !== undefined) return;
      db.exec(m.sqlite);
      markApplied.run(m.version, m.name, iso(new Date()));
    }).immediate();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertInvocation: db.prepare(`INSERT INTO invocations
      (service_id, hook, hook_instance, received_at, client_iss, tenant, patient_hash, order_codes, status, duration_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // A repeated card uuid would be a bug upstream; keep the first and still record the call.
    insertCard: db.prepare(`INSERT INTO cards (uuid, invocation_id, shown_at, rule, indicator, orders)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING`),
    insertSuggestion: db.prepare(`INSERT INTO card_suggestions (card_uuid, uuid, label, from_code, to_code)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (card_uuid, uuid) DO NOTHING`),
    cardExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM cards WHERE uuid = ?'),
    insertFeedback: db.prepare<unknown[], { id: number }>(`INSERT INTO feedback
      (card_uuid, outcome, outcome_timestamp, outcome_at, received_at, service_id, client_iss, tenant,
       reason_system, reason_code, reason_display, user_comment, unknown_card)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (card_uuid, outcome, outcome_timestamp) DO NOTHING
      RETURNING id`),
    insertAccepted: db.prepare(
      'INSERT INTO feedback_accepted_suggestions (feedback_id, suggestion_uuid) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
  };
}

export class SqliteAuditStore implements AuditStore {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly secret: string;
  private closed = false;
  private readonly stmt: ReturnType<typeof prepareStatements>;

  constructor(options: SqliteStoreOptions) {
    assertHashSecret(options.patientHashSecret);
    this.secret = options.patientHashSecret;
    this.db = new Database(options.path);
    try {
      this.stmt = this.initialise();
    } catch (err) {
      // Do not leak the file handle (and its lock) when a migration fails.
      this.db.close();
      throw err;
    }
  }

  private initialise(): ReturnType<typeof prepareStatements> {
    // Durability: WAL with synchronous=FULL fsyncs the WAL on every commit, so once a write
    // returns the row survives a process kill *and* an OS crash or power cut. (NORMAL in WAL would
    // survive a process kill only.) Feedback volume is a few writes per clinician action, so the
    // per-commit fsync is cheap and we keep the stronger guarantee.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Needed for ON DELETE CASCADE (purge of cards with their invocation); off by default in SQLite.
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrateSqlite(this.db);
    // Prepared once: the audit insert runs on every hook call.
    return prepareStatements(this.db);
  }

  async recordInvocation(a: InvocationAudit): Promise<void> {
    return this.recordInvocations([a]);
  }

  async recordInvocations(batch: readonly InvocationAudit[]): Promise<void> {
    const { insertInvocation, insertCard, insertSuggestion } = this.stmt;
    this.db.transaction(() => {
      for (const a of batch) {
        const { lastInsertRowid } = insertInvocation.run(
          a.serviceId,
          a.hook,
          a.hookInstance,
          iso(a.receivedAt),
          nullable(a.clientIss),
          nullable(a.tenant),
          hashPatientId(this.secret, a.patientId),
          JSON.stringify(a.orderCodes),
          a.status,
          a.durationMs,
        );
        for (const c of a.cards) {
          const inserted = insertCard.run(c.uuid, lastInsertRowid, iso(a.receivedAt), c.rule, c.indicator, JSON.stringify(c.orders));
          if (inserted.changes === 0) continue;
          for (const s of c.suggestions) {
            insertSuggestion.run(c.uuid, s.uuid, s.label, nullable(s.fromCode), nullable(s.toCode));
          }
        }
      }
    })();
  }

  async recordFeedback(b: FeedbackBatch): Promise<FeedbackResult> {
    const items = b.items.map(normaliseFeedback);
    const { cardExists, insertFeedback, insertAccepted } = this.stmt;
    // One transaction per batch: the caller answers 200 only after this returns, i.e. after the
    // commit has been fsynced (synchronous=FULL).
    return this.db.transaction((): FeedbackResult => {
      const result: FeedbackResult = { stored: 0, duplicates: 0, unknownCards: 0 };
      for (const f of items) {
        const unknown = cardExists.get(f.card) === undefined;
        if (unknown) result.unknownCards += 1;
        const row = insertFeedback.get(
          f.card,
          f.outcome,
          f.outcomeTimestamp,
          f.outcomeAt === null ? null : iso(f.outcomeAt),
          iso(b.receivedAt),
          b.serviceId,
          nullable(b.clientIss),
          nullable(b.tenant),
          f.reasonSystem,
          f.reasonCode,
          f.reasonDisplay,
          f.userComment,
          unknown ? 1 : 0,
        );
        if (row === undefined) {
          result.duplicates += 1;
          continue;
        }
        result.stored += 1;
        for (const id of f.acceptedSuggestionIds) insertAccepted.run(row.id, id);
      }
      return result;
    })();
  }

  async ruleAnalytics(q: RuleAnalyticsQuery): Promise<RuleAnalyticsRow[]> {
    const range = [iso(q.from), iso(q.to)];
    const counts = this.db
      .prepare<string[], DayCountRow>(
        `SELECT c.rule AS rule, substr(c.shown_at, 1, 10) AS day, COUNT(*) AS shown,
          SUM(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid) THEN 1 ELSE 0 END) AS answered,
          SUM(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid AND f.outcome = 'accepted') THEN 1 ELSE 0 END) AS accepted,
          SUM(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid AND f.outcome = 'overridden') THEN 1 ELSE 0 END) AS overridden
        FROM cards c
        WHERE c.shown_at >= ? AND c.shown_at < ?
        GROUP BY c.rule, substr(c.shown_at, 1, 10)`,
      )
      .all(...range);
    const reasons = this.db
      .prepare<string[], DayReasonRow>(
        `SELECT c.rule AS rule, substr(c.shown_at, 1, 10) AS day, f.reason_system AS system, f.reason_code AS code,
          MAX(f.reason_display) AS display, COUNT(DISTINCT f.card_uuid) AS count
        FROM feedback f JOIN cards c ON c.uuid = f.card_uuid
        WHERE f.outcome = 'overridden' AND f.reason_code IS NOT NULL AND c.shown_at >= ? AND c.shown_at < ?
        GROUP BY c.rule, substr(c.shown_at, 1, 10), f.reason_system, f.reason_code`,
      )
      .all(...range);
    const changes = this.db
      .prepare<string[], DayChangeRow>(
        `SELECT c.rule AS rule, substr(c.shown_at, 1, 10) AS day, s.from_code AS fromCode, s.to_code AS toCode,
          COUNT(DISTINCT s.card_uuid || '|' || s.uuid) AS count
        FROM feedback f
          JOIN feedback_accepted_suggestions a ON a.feedback_id = f.id
          JOIN card_suggestions s ON s.card_uuid = f.card_uuid AND s.uuid = a.suggestion_uuid
          JOIN cards c ON c.uuid = f.card_uuid
        WHERE f.outcome = 'accepted' AND (s.from_code IS NOT NULL OR s.to_code IS NOT NULL)
          AND c.shown_at >= ? AND c.shown_at < ?
        GROUP BY c.rule, substr(c.shown_at, 1, 10), s.from_code, s.to_code`,
      )
      .all(...range);
    return rollUp(q.period, counts, reasons, changes);
  }

  async purgeOlderThan(cutoff: Date): Promise<{ invocations: number; feedback: number }> {
    const at = iso(cutoff);
    const delInvocations = this.db.prepare('DELETE FROM invocations WHERE received_at < ?');
    const delFeedback = this.db.prepare('DELETE FROM feedback WHERE received_at < ?');
    // Cards, suggestions and accepted-suggestion links go with their parent (ON DELETE CASCADE).
    return this.db.transaction(() => ({
      invocations: delInvocations.run(at).changes,
      feedback: delFeedback.run(at).changes,
    }))();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
