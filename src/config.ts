import Ajv from 'ajv';
import path from 'node:path';
import { projectRoot } from './project-root';
import { loadStorageConfig } from './store/storage-config';
import type { StorageConfig } from './store/storage-config';

/**
 * Service configuration: read from the environment only, validated once at start-up against the schema
 * below (defaults, types and ranges live in one place; the env-var table in README.md and .env.example
 * mirror it). The result is frozen and passed in explicitly: no module reads process.env but this one.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Base URLs the service may call as `fhirServer` when no per-client allow-list applies. */
  readonly allowedFhirServers: readonly string[];
  /** One time budget for all FHIR reads of a hook call (CDS Hooks: answer "on the order of 500 ms"). */
  readonly fhirTimeBudgetMs: number;
  /** How many search pages to follow per prefetch key when fetching from the FHIR server. */
  readonly fhirPageLimit: number;
  readonly corsOrigins: '*' | readonly string[];
  readonly bodyLimitBytes: number;
  /** Folder holding cds-services/ and fhir-profiles/ (the reviewed content). */
  readonly contentDir: string;
  /** Public base URL when behind a proxy (used for JWT `aud` and links). */
  readonly publicBaseUrl?: string;
  /** Rule codes switched off by the deployment, on top of `enabled: false` in content. */
  readonly disabledRules: readonly string[];
  readonly shutdownGraceMs: number;
  /** Audit/feedback store, analytics token and retention (src/store/storage-config.ts). */
  readonly storage: StorageConfig;
  /** Security (docs/security.md): the trusted CDS clients file; absent means no JWT authentication. */
  readonly clientsFile?: string;
  /** Accept unauthenticated calls on a non-loopback address (explicit opt-out of the safe default). */
  readonly allowUnauthenticated: boolean;
  /** Development preset: trust the public CDS Hooks sandbox issuer (its private key is public). */
  readonly trustCdsHooksSandbox: boolean;
  /** Allowed clock skew for JWT `exp` / `iat`, seconds. */
  readonly jwtClockSkewS: number;
  /** Longest accepted JWT lifetime (`exp - iat`), seconds: bounds how long a `jti` must be remembered. */
  readonly jwtMaxLifetimeS: number;
  /** Most `jti`s remembered at once (replay cache bound). */
  readonly replayCacheSize: number;
  /** Shared replay cache for several instances (redis://host:port[/db]); in memory when absent. */
  readonly replayCacheRedisUrl?: string;
  /** Least time between two JWKS re-fetches of one client triggered by an unknown `kid`. */
  readonly jwksCooldownMs: number;
  /** Allow allow-listed FHIR host names that resolve to private / loopback addresses (intranet EHRs). */
  readonly allowPrivateFhirServers: boolean;
  /** Requests per minute per client (iss + tenant, else IP); 0 switches the limit off. */
  readonly rateLimitPerMinute: number;
  /** Deepest JSON nesting accepted in a request body. */
  readonly maxJsonDepth: number;
  /** Most entries in any one Bundle of a request (draftOrders, each prefetch value). */
  readonly maxBundleEntries: number;
}

interface RawEnv {
  PORT: number;
  HOST: string;
  LOG_LEVEL: Config['logLevel'];
  ALLOWED_FHIR_SERVERS: string;
  FHIR_TIME_BUDGET_MS: number;
  FHIR_PAGE_LIMIT: number;
  CORS_ORIGINS: string;
  BODY_LIMIT_BYTES: number;
  CONTENT_DIR?: string;
  PUBLIC_BASE_URL?: string;
  DISABLED_RULES: string;
  SHUTDOWN_GRACE_MS: number;
  CDS_CLIENTS_FILE?: string;
  ALLOW_UNAUTHENTICATED: boolean;
  TRUST_CDS_HOOKS_SANDBOX: boolean;
  JWT_CLOCK_SKEW_S: number;
  JWT_MAX_LIFETIME_S: number;
  REPLAY_CACHE_SIZE: number;
  JWKS_COOLDOWN_MS: number;
  REPLAY_CACHE_REDIS_URL?: string;
  ALLOW_PRIVATE_FHIR_SERVERS: boolean;
  RATE_LIMIT_PER_MINUTE: number;
  MAX_JSON_DEPTH: number;
  MAX_BUNDLE_ENTRIES: number;
}

export const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    ALLOWED_FHIR_SERVERS: { type: 'string', default: '' },
    FHIR_TIME_BUDGET_MS: { type: 'integer', minimum: 50, maximum: 30000, default: 2000 },
    FHIR_PAGE_LIMIT: { type: 'integer', minimum: 1, maximum: 20, default: 3 },
    CORS_ORIGINS: { type: 'string', default: '*' },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, maximum: 104857600, default: 5242880 },
    CONTENT_DIR: { type: 'string', minLength: 1 },
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://[^\\s]+$' },
    DISABLED_RULES: { type: 'string', default: '' },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, maximum: 120000, default: 10000 },
    CDS_CLIENTS_FILE: { type: 'string', minLength: 1 },
    ALLOW_UNAUTHENTICATED: { type: 'boolean', default: false },
    TRUST_CDS_HOOKS_SANDBOX: { type: 'boolean', default: false },
    JWT_CLOCK_SKEW_S: { type: 'integer', minimum: 0, maximum: 600, default: 60 },
    JWT_MAX_LIFETIME_S: { type: 'integer', minimum: 60, maximum: 86400, default: 3600 },
    REPLAY_CACHE_SIZE: { type: 'integer', minimum: 100, maximum: 10000000, default: 100000 },
    JWKS_COOLDOWN_MS: { type: 'integer', minimum: 0, maximum: 3600000, default: 30000 },
    REPLAY_CACHE_REDIS_URL: { type: 'string', pattern: '^redis://[^\\s]+$' },
    ALLOW_PRIVATE_FHIR_SERVERS: { type: 'boolean', default: false },
    RATE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 0, maximum: 1000000, default: 3000 },
    MAX_JSON_DEPTH: { type: 'integer', minimum: 16, maximum: 1000, default: 64 },
    MAX_BUNDLE_ENTRIES: { type: 'integer', minimum: 100, maximum: 1000000, default: 10000 },
  },
} as const;

// validateSchema: false skips compiling the JSON Schema meta-schema in this instance at start-up (27-140 ms
// each on the bench machine); ENV_SCHEMA is checked against the meta-schema by test/unit/schemas.test.ts.
const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, validateSchema: false });
const validateEnv = ajv.compile<RawEnv>(ENV_SCHEMA);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** A FHIR base URL in the form we compare against: absolute http(s), no query, no trailing slash. */
export function normaliseBaseUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`not an http(s) URL: ${raw}`);
  url.hash = '';
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const known = Object.keys(ENV_SCHEMA.properties);
  const raw: Record<string, unknown> = {};
  for (const k of known) if (env[k] !== undefined && env[k] !== '') raw[k] = env[k];
  if (!validateEnv(raw)) {
    const problems = (validateEnv.errors ?? []).map((e) => `${e.instancePath.replace(/^\//, '') || 'env'} ${e.message ?? ''}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const r = raw as unknown as RawEnv;
  let allowed: string[];
  try {
    allowed = list(r.ALLOWED_FHIR_SERVERS).map(normaliseBaseUrl);
  } catch (e) {
    throw new ConfigError(`Invalid configuration: ALLOWED_FHIR_SERVERS ${(e as Error).message}`);
  }
  const origins = r.CORS_ORIGINS.trim() === '*' ? '*' : list(r.CORS_ORIGINS);
  let storage: StorageConfig;
  try {
    storage = loadStorageConfig(env);
  } catch (e) {
    throw new ConfigError(`Invalid configuration: ${(e as Error).message}`);
  }
  return Object.freeze({
    port: r.PORT,
    host: r.HOST,
    logLevel: r.LOG_LEVEL,
    allowedFhirServers: Object.freeze(allowed),
    fhirTimeBudgetMs: r.FHIR_TIME_BUDGET_MS,
    fhirPageLimit: r.FHIR_PAGE_LIMIT,
    corsOrigins: origins,
    bodyLimitBytes: r.BODY_LIMIT_BYTES,
    contentDir: path.resolve(r.CONTENT_DIR ?? projectRoot()),
    ...(r.PUBLIC_BASE_URL !== undefined ? { publicBaseUrl: r.PUBLIC_BASE_URL.replace(/\/+$/, '') } : {}),
    disabledRules: Object.freeze(list(r.DISABLED_RULES)),
    shutdownGraceMs: r.SHUTDOWN_GRACE_MS,
    storage,
    ...(r.CDS_CLIENTS_FILE !== undefined ? { clientsFile: path.resolve(r.CDS_CLIENTS_FILE) } : {}),
    allowUnauthenticated: r.ALLOW_UNAUTHENTICATED,
    trustCdsHooksSandbox: r.TRUST_CDS_HOOKS_SANDBOX,
    jwtClockSkewS: r.JWT_CLOCK_SKEW_S,
    jwtMaxLifetimeS: r.JWT_MAX_LIFETIME_S,
    replayCacheSize: r.REPLAY_CACHE_SIZE,
    jwksCooldownMs: r.JWKS_COOLDOWN_MS,
    ...(r.REPLAY_CACHE_REDIS_URL !== undefined ? { replayCacheRedisUrl: r.REPLAY_CACHE_REDIS_URL } : {}),
    allowPrivateFhirServers: r.ALLOW_PRIVATE_FHIR_SERVERS,
    rateLimitPerMinute: r.RATE_LIMIT_PER_MINUTE,
    maxJsonDepth: r.MAX_JSON_DEPTH,
    maxBundleEntries: r.MAX_BUNDLE_ENTRIES,
  });
}
