import pino from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config';

/**
 * Structured logs with no PHI and no secrets, enforced by the logger configuration itself rather than by
 * call-site discipline: any field with one of these names is replaced wherever it appears (one or two
 * levels deep), so a careless `log.info({ request })` still cannot leak a token, a patient id or a
 * resource. Call sites log ids that carry no PHI (hookInstance, service id, rule codes, counts).
 */
export const REDACTED_KEYS = [
  'authorization',
  'Authorization',
  'access_token',
  'accessToken',
  'fhirAuthorization',
  'jwt',
  'token',
  'patient',
  'patientId',
  'context',
  'prefetch',
  'resource',
  'resources',
  'body',
  'name',
  'birthDate',
  'userId',
] as const;

const redactPaths = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((k) => `*.${k}`),
  ...REDACTED_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'imaging-cds' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      // Errors are logged by name and message only: no stack traces in logs (engineering standards).
      serializers: { err: (e: unknown) => (e instanceof Error ? { type: e.name, message: e.message } : { message: String(e) }) },
    },
    destination,
  );
}

export type { Logger };
