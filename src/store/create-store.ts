import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PostgresAuditStore } from './postgres-store';
import { SqliteAuditStore } from './sqlite-store';
import type { AuditStore } from './types';

export interface CreateStoreOptions {
  /** postgres:// or postgresql:// selects PostgreSQL; unset or empty selects SQLite. */
  databaseUrl?: string;
  /** SQLite file, relative to the working directory; its folder is created if missing. */
  sqlitePath: string;
  patientHashSecret: string;
}

/** Opens the configured store and brings its schema up to date before returning. */
export async function createStore(options: CreateStoreOptions): Promise<AuditStore> {
  const url = options.databaseUrl?.trim() ?? '';
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return PostgresAuditStore.open({ connectionString: url, patientHashSecret: options.patientHashSecret });
  }
  if (url !== '') {
    // Falling back to SQLite on a typo would silently split the audit trail across two stores.
    throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite)');
  }
  const path = options.sqlitePath === ':memory:' ? ':memory:' : resolve(options.sqlitePath);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new SqliteAuditStore({ path, patientHashSecret: options.patientHashSecret });
}
