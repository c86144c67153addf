/**
 * Storage-related settings, read by src/config.ts from the environment it is given (never the process
 * environment directly); kept beside the store so the storage feature documents and validates its own knobs.
 */
export interface StorageConfig {
  databaseUrl?: string;
  sqlitePath: string;
  patientHashSecret: string;
  /** undefined disables the analytics endpoints (404). */
  analyticsAdminToken?: string;
  retentionDays: number;
  /** Non-fatal problems to log at start-up (never containing secret values). */
  warnings: string[];
}

export const DEFAULT_SQLITE_PATH = './data/imaging-cds.sqlite';
export const DEFAULT_RETENTION_DAYS = 365;
// Only for local development: a fixed key keeps pseudonyms stable across restarts there.
const DEV_PATIENT_HASH_SECRET = 'imaging-cds-development-only-patient-hash-secret';

export function loadStorageConfig(env: Readonly<Record<string, string | undefined>>): StorageConfig {
  const warnings: string[] = [];
  const production = env['NODE_ENV'] === 'production';

  let patientHashSecret = env['PATIENT_HASH_SECRET'] ?? '';
  if (patientHashSecret === '') {
    if (production) throw new Error('PATIENT_HASH_SECRET is required in production');
    patientHashSecret = DEV_PATIENT_HASH_SECRET;
    warnings.push('PATIENT_HASH_SECRET is not set; using a development-only key (patient hashes are not protected)');
  } else if (patientHashSecret.length < 16) {
    throw new Error('PATIENT_HASH_SECRET must be at least 16 characters');
  }

  const retentionRaw = env['RETENTION_DAYS'] ?? '';
  const retentionDays = retentionRaw === '' ? DEFAULT_RETENTION_DAYS : Number(retentionRaw);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error('RETENTION_DAYS must be a positive integer');
  }

  const adminToken = env['ANALYTICS_ADMIN_TOKEN'] ?? '';
  if (adminToken !== '' && adminToken.length < 16) {
    throw new Error('ANALYTICS_ADMIN_TOKEN must be at least 16 characters');
  }
  if (adminToken === '') warnings.push('ANALYTICS_ADMIN_TOKEN is not set; /analytics is disabled');

  const databaseUrl = env['DATABASE_URL'] ?? '';
  return {
    ...(databaseUrl !== '' ? { databaseUrl } : {}),
    sqlitePath: env['SQLITE_PATH'] !== undefined && env['SQLITE_PATH'] !== '' ? env['SQLITE_PATH'] : DEFAULT_SQLITE_PATH,
    patientHashSecret,
    ...(adminToken !== '' ? { analyticsAdminToken: adminToken } : {}),
    retentionDays,
    warnings,
  };
}
