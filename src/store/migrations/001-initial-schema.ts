import type { Migration } from './types';

/*
 * Times: SQLite has no timestamp type, so instants are ISO-8601 UTC text from Date#toISOString()
 * (fixed width, so text comparison is chronological and substr(x, 1, 10) is the UTC day);
 * PostgreSQL uses timestamptz. JSON arrays are text in SQLite and jsonb in PostgreSQL.
 *
 * feedback.card_uuid deliberately has no foreign key: feedback for an unknown card is kept and
 * flagged, and analytics join on the uuid at query time, so feedback that raced ahead of its audit
 * row is counted once the audit row lands.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial-schema',
  sqlite: `
CREATE TABLE invocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL,
  hook TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  received_at TEXT NOT NULL,
  client_iss TEXT,
  tenant TEXT,
  patient_hash TEXT,
  order_codes TEXT NOT NULL,
  status INTEGER NOT NULL,
  duration_ms REAL NOT NULL
);
CREATE INDEX invocations_received_at ON invocations (received_at);

CREATE TABLE cards (
  uuid TEXT PRIMARY KEY,
  invocation_id INTEGER NOT NULL REFERENCES invocations (id) ON DELETE CASCADE,
  shown_at TEXT NOT NULL,
  rule TEXT NOT NULL,
  indicator TEXT NOT NULL CHECK (indicator IN ('info', 'warning', 'critical')),
  orders TEXT NOT NULL
);
CREATE INDEX cards_invocation_id ON cards (invocation_id);
CREATE INDEX cards_shown_at_rule ON cards (shown_at, rule);

CREATE TABLE card_suggestions (
  card_uuid TEXT NOT NULL REFERENCES cards (uuid) ON DELETE CASCADE,
  uuid TEXT NOT NULL,
  label TEXT NOT NULL,
  from_code TEXT,
  to_code TEXT,
  PRIMARY KEY (card_uuid, uuid)
);

CREATE TABLE feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp TEXT NOT NULL,
  outcome_at TEXT,
  received_at TEXT NOT NULL,
  service_id TEXT NOT NULL,
  client_iss TEXT,
  tenant TEXT,
  reason_system TEXT,
  reason_code TEXT,
  reason_display TEXT,
  user_comment TEXT,
  unknown_card INTEGER NOT NULL CHECK (unknown_card IN (0, 1)),
  CONSTRAINT feedback_idempotency UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX feedback_received_at ON feedback (received_at);

CREATE TABLE feedback_accepted_suggestions (
  feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
  suggestion_uuid TEXT NOT NULL,
  PRIMARY KEY (feedback_id, suggestion_uuid)
);
`,
  postgres: `
CREATE TABLE invocations (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id TEXT NOT NULL,
  hook TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  client_iss TEXT,
  tenant TEXT,
  patient_hash TEXT,
  order_codes JSONB NOT NULL,
  status INTEGER NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL
);
CREATE INDEX invocations_received_at ON invocations (received_at);

CREATE TABLE cards (
  uuid TEXT PRIMARY KEY,
  invocation_id BIGINT NOT NULL REFERENCES invocations (id) ON DELETE CASCADE,
  shown_at TIMESTAMPTZ NOT NULL,
  rule TEXT NOT NULL,
  indicator TEXT NOT NULL CHECK (indicator IN ('info', 'warning', 'critical')),
  orders JSONB NOT NULL
);
CREATE INDEX cards_invocation_id ON cards (invocation_id);
CREATE INDEX cards_shown_at_rule ON cards (shown_at, rule);

CREATE TABLE card_suggestions (
  card_uuid TEXT NOT NULL REFERENCES cards (uuid) ON DELETE CASCADE,
  uuid TEXT NOT NULL,
  label TEXT NOT NULL,
  from_code TEXT,
  to_code TEXT,
  PRIMARY KEY (card_uuid, uuid)
);

CREATE TABLE feedback (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp TEXT NOT NULL,
  outcome_at TIMESTAMPTZ,
  received_at TIMESTAMPTZ NOT NULL,
  service_id TEXT NOT NULL,
  client_iss TEXT,
  tenant TEXT,
  reason_system TEXT,
  reason_code TEXT,
  reason_display TEXT,
  user_comment TEXT,
  unknown_card BOOLEAN NOT NULL,
  CONSTRAINT feedback_idempotency UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX feedback_received_at ON feedback (received_at);

CREATE TABLE feedback_accepted_suggestions (
  feedback_id BIGINT NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
  suggestion_uuid TEXT NOT NULL,
  PRIMARY KEY (feedback_id, suggestion_uuid)
);
`,
};
