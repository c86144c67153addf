import { initialSchema } from './001-initial-schema';
import type { Migration } from './types';

export type { Migration } from './types';

/**
 * Migrations are TS modules rather than .sql files so they travel with the compiled code
 * (ts-jest from src/, node from dist/src/) without any file lookup. Append only: never edit a
 * migration that has shipped, add the next number instead.
 */
export const MIGRATIONS: readonly Migration[] = [initialSchema];

// Fail at load time, not half-way through a deployment, if numbering is broken.
MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
});
