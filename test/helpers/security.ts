import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Express } from 'express';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK, KeyLike } from 'jose';
import pino from 'pino';
import type { Logger } from 'pino';
import { hookDeps } from '../../src/compose';
import { loadConfig } from '../../src/config';
import type { Config } from '../../src/config';
import type { FhirReaderFactory } from '../../src/fhir/fhir-reader';
import { createApp } from '../../src/http/app';
import { securityGuards, securitySetup } from '../../src/security/security-policy';
import type { TrustedClient } from '../../src/security/trusted-clients';
import { RecordingStore, TEST_NOW, serviceParts } from './test-app';

/** A CDS client's signing identity: a real key pair and the public JWK with its kid. */
export interface ClientKey {
  readonly kid: string;
  readonly alg: 'ES384' | 'RS384';
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

export async function clientKey(alg: 'ES384' | 'RS384' = 'ES384', kid: string = randomUUID()): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

/** A JWK Set served by a real HTTP server on loopback, counting fetches (a client's `jku`). */
export interface JwksServer {
  readonly url: string;
  readonly fetches: () => number;
  setKeys(keys: readonly JWK[]): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly JWK[]): Promise<JwksServer> {
  let current = [...keys];
  let fetches = 0;
  const app = express();
  app.get('/.well-known/jwks.json', (_req, res) => {
    fetches += 1;
    res.json({ keys: current });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    fetches: () => fetches,
    setKeys(k) {
      current = [...k];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TokenOptions {
  readonly iss?: string;
  readonly aud?: string | string[];
  readonly iatOffsetS?: number;
  readonly expOffsetS?: number;
  readonly nbfOffsetS?: number;
  readonly jti?: string | null;
  readonly tenant?: string;
  readonly header?: Record<string, unknown>;
  readonly kid?: string;
}

/** A CDS Hooks client JWT as the spec's table describes it (alg, kid, typ JWT; iss, aud, exp, iat, jti). */
export async function mintToken(key: ClientKey, o: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  if (o.tenant !== undefined) claims['tenant'] = o.tenant;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: o.kid ?? key.kid, typ: 'JWT', ...(o.header ?? {}) })
    .setIssuer(o.iss ?? EHR_ISS)
    .setAudience(o.aud ?? `${PUBLIC_BASE}/cds-services`)
    .setIssuedAt(now + (o.iatOffsetS ?? 0))
    .setExpirationTime(now + (o.expOffsetS ?? 300));
  if (o.nbfOffsetS !== undefined) jwt.setNotBefore(now + o.nbfOffsetS);
  if (o.jti !== null) jwt.setJti(o.jti ?? randomUUID());
  return jwt.sign(key.privateKey);
}

export const EHR_ISS = 'https://ehr.example.org';
export const PUBLIC_BASE = 'https://cds.example.org';

export interface SecureApp {
  readonly app: Express;
  readonly store: RecordingStore;
  readonly config: Config;
}

/** The app as main.ts composes it, with the guards on, for a given clients list and env. */
export function createSecureApp(
  clients: readonly TrustedClient[],
  env: Record<string, string> = {},
  options: { readerFactory?: FhirReaderFactory; log?: Logger } = {},
): SecureApp {
  const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: PUBLIC_BASE, JWKS_COOLDOWN_MS: '0', ...env });
  const log = options.log ?? pino({ level: 'silent' });
  const store = new RecordingStore();
  const setup = securitySetup(config, clients);
  const app = createApp({
    ...hookDeps(config, serviceParts(), store, log, { clock: () => TEST_NOW, ...(options.readerFactory !== undefined ? { readerFactory: options.readerFactory } : {}) }),
    config,
    readiness: { ready: () => true },
    guards: securityGuards(config, setup, log),
  });
  return { app, store, config };
}

export function trustedClient(over: Partial<TrustedClient> & Pick<TrustedClient, 'fhirServers'>): TrustedClient {
  return { iss: EHR_ISS, algorithms: ['ES384', 'RS384'], ...over };
}
