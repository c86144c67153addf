import type { Request, RequestHandler } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { unauthorized } from '../errors';
import type { Caller } from './caller';
import { setCaller } from './caller';
import type { Logger } from '../logging';
import type { ReplayCache } from './replay-cache';
import type { TrustedClient } from './trusted-clients';

/** What authentication puts in `res.locals.caller` (read back by `callerOf`, src/security/caller.ts). */
export interface AuthenticatedCaller extends Caller {
  readonly iss: string;
  readonly client: TrustedClient;
  /** FHIR base URLs this caller may make us call (the client's `fhirServers`). */
  readonly fhirServers: readonly string[];
}

export interface ClientAuthOptions {
  readonly clients: readonly TrustedClient[];
  /** Public base URL (PUBLIC_BASE_URL); without it the URL is rebuilt from the request (see audienceOf). */
  readonly publicBaseUrl?: string;
  readonly clockSkewS: number;
  readonly maxLifetimeS: number;
  readonly jwksCooldownMs: number;
  readonly replay: ReplayCache;
  readonly log: Logger;
}

/** Never accepted, whatever a clients file says (CDS Hooks 2.0.1: alg SHALL NOT be none nor symmetric). */
const FORBIDDEN_ALG = /^(none|HS\d+)$/i;
const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/;

class AuthFailure extends Error {
  override name = 'AuthFailure';
}

/**
 * The exact URL the client called, which `aud` must equal (CDS Hooks 2.0.1: "the URL of the CDS Service
 * endpoint being invoked"). Behind a proxy the request's own host and scheme are the internal ones, so
 * deployments set PUBLIC_BASE_URL; without it, `Host` and the socket's scheme are used (express `trust
 * proxy` off), which is right for a directly exposed service and for loopback development.
 */
export function audienceOf(req: Request, publicBaseUrl: string | undefined): string {
  const base = publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? ''}`;
  // baseUrl + path: the full path even when this runs mounted on /cds-services.
  return `${base}${`${req.baseUrl}${req.path}`.replace(/\/+$/, '')}`;
}

/** One key getter per client: a cached remote JWK Set (re-fetched on an unknown kid, with a cooldown) or inline keys. */
function keyGetter(client: TrustedClient, cooldownMs: number): JWTVerifyGetKey {
  if (client.jwks !== undefined) return createLocalJWKSet(client.jwks);
  if (client.jwksUrl === undefined) throw new Error(`client ${client.iss} has no keys`);
  // Only the configured URL is fetched; a `jku` header in the token is never followed (best practices).
  return createRemoteJWKSet(new URL(client.jwksUrl), { cooldownDuration: cooldownMs, timeoutDuration: 2000, cacheMaxAge: 10 * 60_000 });
}

/**
 * JWT bearer authentication of CDS clients (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients) with the
 * checks of https://cds-hooks.org/best-practices/: `iss` allow-listed, `aud` is this endpoint, `exp` not
 * passed, `tenant` allowed, signed by a key on record, `jti` not seen before. Every failure is the same
 * 401 with no detail; the reason goes to the log with the issuer at most, never the token.
 */
export function clientAuthentication(options: ClientAuthOptions): RequestHandler {
  const byIss = new Map<string, { client: TrustedClient; keys: JWTVerifyGetKey }[]>();
  for (const client of options.clients) {
    const list = byIss.get(client.iss) ?? [];
    list.push({ client, keys: keyGetter(client, options.jwksCooldownMs) });
    byIss.set(client.iss, list);
  }

  const authenticate = async (req: Request): Promise<AuthenticatedCaller> => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    const token = match?.[1];
    if (token === undefined) throw new AuthFailure('no bearer JWT');
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      throw new AuthFailure('malformed JWT');
    }
    if (typeof header.alg !== 'string' || FORBIDDEN_ALG.test(header.alg)) throw new AuthFailure('forbidden alg');
    // CDS Hooks 2.0.1 JWT header table: kid REQUIRED (without it jose would try any key of matching type).
    if (typeof header.kid !== 'string' || header.kid.length === 0) throw new AuthFailure('no kid');
    const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
    const candidates = iss === undefined ? undefined : byIss.get(iss);
    if (candidates === undefined) throw new AuthFailure('unknown iss');
    const tenantClaim = typeof claims['tenant'] === 'string' ? claims['tenant'] : undefined;
    // A client configured with a tenant only accepts that tenant; one without a tenant accepts tokens without one.
    const entry = candidates.find((c) => c.client.tenant === tenantClaim) ?? candidates.find((c) => c.client.tenant === undefined && tenantClaim === undefined);
    if (entry === undefined) throw new AuthFailure('tenant not allowed');
    const { client, keys } = entry;
    if (!client.algorithms.includes(header.alg)) throw new AuthFailure('alg not allowed for client');

    const { payload } = await jwtVerify(token, keys, {
      issuer: client.iss,
      audience: audienceOf(req, options.publicBaseUrl),
      algorithms: [...client.algorithms],
      clockTolerance: options.clockSkewS,
      maxTokenAge: options.maxLifetimeS + options.clockSkewS,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      typ: 'JWT',
    });
    const exp = payload.exp ?? 0;
    const iat = payload.iat ?? 0;
    if (exp - iat > options.maxLifetimeS) throw new AuthFailure('token lifetime too long');
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) throw new AuthFailure('bad jti');
    if (client.tenant !== undefined && payload['tenant'] !== client.tenant) throw new AuthFailure('tenant mismatch');
    // Remember the jti until the token could no longer pass the exp check anyway.
    let fresh: boolean;
    try {
      fresh = await options.replay.remember(`${client.iss}\u0000${payload.jti}`, (exp + options.clockSkewS) * 1000);
    } catch {
      throw new AuthFailure('replay store unavailable'); // fail closed: an unchecked jti is not accepted
    }
    if (!fresh) throw new AuthFailure('replayed jti');
    return {
      iss: client.iss,
      ...(client.tenant !== undefined ? { tenant: client.tenant } : {}),
      client,
      fhirServers: client.fhirServers,
    };
  };

  return (req, res, next) => {
    authenticate(req).then(
      (caller) => {
        setCaller(res, caller);
        next();
      },
      (e: unknown) => {
        const reason = e instanceof AuthFailure ? e.message : e instanceof errors.JOSEError ? e.code : 'verification error';
        const claimed = safeIss(req);
        const known = claimed !== undefined && byIss.has(claimed) ? claimed : undefined;
        options.log.info({ requestId: res.locals['requestId'], reason, ...(known !== undefined ? { claimedIss: known } : {}) }, 'authentication failed');
        next(unauthorized());
      },
    );
  };
}

/** The `iss` a rejected token claims; logged only when it names a configured client (never free text from a token). */
function safeIss(req: Request): string | undefined {
  try {
    const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
    return token === undefined ? undefined : (decodeJwt(token).iss ?? undefined);
  } catch {
    return undefined;
  }
}
