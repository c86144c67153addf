import Ajv from 'ajv';
import fs from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { ConfigError, normaliseBaseUrl } from '../config';

/**
 * The CDS clients this service trusts (CDS Hooks 2.0.1 "Trusting CDS Clients": services SHOULD
 * allow-list `iss` and the JWK Set location). Read once at start-up from CDS_CLIENTS_FILE and validated
 * here; a bad file stops the service, naming the client and the field.
 */
export interface TrustedClient {
  readonly iss: string;
  /** Where the client's JWK Set is fetched from; the token's own `jku` is never used. */
  readonly jwksUrl?: string;
  /** Keys exchanged out of band (spec: "or exchanged out-of-band if jku is absent"). */
  readonly jwks?: JSONWebKeySet;
  readonly algorithms: readonly string[];
  /** When set, the token's `tenant` claim must equal it. */
  readonly tenant?: string;
  /** FHIR base URLs this client may send as `fhirServer` (normalised; exact match). */
  readonly fhirServers: readonly string[];
}

/** CDS Hooks RECOMMENDS ES384 and RS384; anything asymmetric jose supports may be configured. */
export const DEFAULT_ALGORITHMS = ['ES384', 'RS384'] as const;
/** Spec: alg SHALL NOT be `none` nor symmetric; the list below is what a client file may name. */
const ASYMMETRIC_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'] as const;

const CLIENT_SCHEMA = {
  type: 'object',
  required: ['clients'],
  additionalProperties: false,
  properties: {
    clients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['iss', 'fhirServers'],
        additionalProperties: false,
        oneOf: [{ required: ['jwksUrl'] }, { required: ['jwks'] }],
        properties: {
          iss: { type: 'string', minLength: 1, maxLength: 2048 },
          jwksUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
          jwks: {
            type: 'object',
            required: ['keys'],
            properties: { keys: { type: 'array', minItems: 1, items: { type: 'object', required: ['kty'], not: { required: ['d'] } } } },
          },
          algorithms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...ASYMMETRIC_ALGORITHMS] } },
          tenant: { type: 'string', minLength: 1 },
          fhirServers: { type: 'array', items: { type: 'string', pattern: '^https?://[^\\s]+$' } },
        },
      },
    },
  },
} as const;

interface RawClient {
  iss: string;
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
  algorithms?: string[];
  tenant?: string;
  fhirServers: string[];
}

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile<{ clients: RawClient[] }>(CLIENT_SCHEMA);

/** The public CDS Hooks sandbox (conformance checklist 6.2): development only, its private key is published. */
export const CDS_HOOKS_SANDBOX: TrustedClient = Object.freeze({
  iss: 'https://sandbox.cds-hooks.org',
  jwksUrl: 'https://sandbox.cds-hooks.org/.well-known/jwks.json',
  algorithms: ['ES384'],
  fhirServers: ['https://launch.smarthealthit.org/v/r4/fhir'],
});

/** Validates a parsed clients document; `source` names it in errors. */
export function parseTrustedClients(doc: unknown, source: string): TrustedClient[] {
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    // Name algorithm problems plainly: `none` and HS* are refused by the spec, not by taste.
    const text = problems.join('; ');
    const algHint = /algorithms/.test(text) ? ' (alg "none" and symmetric HS* algorithms are not allowed: CDS Hooks 2.0.1 "Trusting CDS Clients")' : '';
    throw new ConfigError(`Invalid CDS clients file ${source}: ${text}${algHint}`);
  }
  const seen = new Set<string>();
  return doc.clients.map((c, i) => {
    const key = `${c.iss}\u0000${c.tenant ?? ''}`;
    if (seen.has(key)) throw new ConfigError(`Invalid CDS clients file ${source}: /clients/${i} repeats iss ${c.iss}${c.tenant !== undefined ? ` with tenant ${c.tenant}` : ''}`);
    seen.add(key);
    let fhirServers: string[];
    try {
      fhirServers = c.fhirServers.map(normaliseBaseUrl);
    } catch (e) {
      throw new ConfigError(`Invalid CDS clients file ${source}: /clients/${i}/fhirServers ${(e as Error).message}`);
    }
    return Object.freeze({
      iss: c.iss,
      ...(c.jwksUrl !== undefined ? { jwksUrl: c.jwksUrl } : {}),
      ...(c.jwks !== undefined ? { jwks: c.jwks } : {}),
      algorithms: Object.freeze([...(c.algorithms ?? DEFAULT_ALGORITHMS)]),
      ...(c.tenant !== undefined ? { tenant: c.tenant } : {}),
      fhirServers: Object.freeze(fhirServers),
    });
  });
}

export function loadTrustedClients(file: string): TrustedClient[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`Cannot read CDS clients file ${file}: ${(e as Error).message}`);
  }
  return parseTrustedClients(doc, file);
}
