import pino from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config';

/**
 * Structured logs with no PHI and no secrets, enforced by the logger configuration itself rather than by
 * call-site discipline:
 * - any field with one of these names is replaced, at any depth and whatever its case, so a careless
 *   `log.info({ request })` still cannot leak a token, a patient id or a resource;
 * - any string, in fields or in the message, that looks like a JWT or a bearer credential is masked;
 * - errors are logged by name and (masked) message only, never a stack or a payload.
 * Call sites log ids that carry no PHI (hookInstance, service id, rule codes, counts, configured `iss`).
 */
export const REDACTED_KEYS = [
  'authorization',
  'access_token',
  'accessToken',
  'id_token',
  'refresh_token',
  'fhirAuthorization',
  'jwt',
  'token',
  'assertion',
  'cookie',
  'password',
  'secret',
  'patient',
  'patientId',
  'subject',
  'identifier',
  'context',
  'prefetch',
  'draftOrders',
  'resource',
  'resources',
  'entry',
  'body',
  'name',
  'family',
  'given',
  'telecom',
  'address',
  'birthDate',
  'userId',
  'headers',
] as const;

const CENSOR = '[redacted]';
const SENSITIVE = new Set(REDACTED_KEYS.map((k) => k.toLowerCase()));
/** Compact JWS/JWT (base64url JSON header starts `eyJ`) and `Bearer <credential>`. */
const SECRET_PATTERNS = [/eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]+/g];
const MAX_DEPTH = 8;

export function maskSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, re) => t.replace(re, CENSOR), text);
}

/** A copy of `value` with sensitive keys censored at any depth and secrets masked in strings. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (value instanceof Error) return { type: value.name, message: maskSecrets(value.message) };
  // A Date has no own enumerable fields: copied like an object it would log as `{}` (the retention purge's cutoff did).
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.has(k.toLowerCase()) ? CENSOR : scrub(v, depth + 1);
  return out;
}

/** `err` fields: name and masked message only (no stack); `formatters.log` may already have scrubbed it. */
function serializeError(e: unknown): unknown {
  if (e instanceof Error) return { type: e.name, message: maskSecrets(e.message) };
  if (typeof e === 'object' && e !== null && 'message' in e) return scrub(e);
  return { message: maskSecrets(String(e)) };
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'imaging-cds' },
      // Belt and braces: pino's own redaction on the common shapes, then the deep scrub below.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', ...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)], censor: CENSOR },
      serializers: { err: serializeError },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Message strings and printf arguments are masked too (`log.info('got %s', header)`).
          // Objects are scrubbed by `formatters.log`, after the serializers have run.
          const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export type { Logger };
