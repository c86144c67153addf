import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import nock from 'nock';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { hookRequest, imagingOrder, prefetchWith } from '../support/fhir-builders';
import { EHR_ISS, PUBLIC_BASE, clientKey, createSecureApp, mintToken, startJwksServer, trustedClient } from '../helpers/security';
import type { ClientKey, JwksServer } from '../helpers/security';
import { parseTrustedClients } from '../../src/security/trusted-clients';
import { securitySetup } from '../../src/security/security-policy';
import { loadConfig } from '../../src/config';

/**
 * CDS Hooks 2.0.1 "Trusting CDS Clients" and the checks of https://cds-hooks.org/best-practices/:
 * a real ES384 client key, its JWK Set served over HTTP on loopback, and one negative test per check.
 * Every failure is the same 401 OperationOutcome with no detail.
 */
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const DISCOVERY = '/cds-services';
const SIGN = '/cds-services/imaging-order-sign';

let key: ClientKey;
let jwks: JwksServer;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  key = await clientKey('ES384');
  jwks = await startJwksServer([key.publicJwk]);
});
afterAll(async () => {
  await jwks.close();
  nock.cleanAll();
  nock.enableNetConnect();
  // uninstall nock's interceptor: jest runs files in one process, and a stale one breaks later files' HTTP
  nock.restore();
});

const client = () => trustedClient({ jwksUrl: jwks.url, fhirServers: ['https://ehr.example.org/fhir'] });

/** Runs one call that must fail; returns the reason the service logged (the caller never sees it). */
async function expect401(token: string | undefined, reason?: RegExp, path = DISCOVERY, env: Record<string, string> = {}): Promise<void> {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => { lines.push(c.toString()); cb(); } }));
  const { app } = createSecureApp([client()], env, { log });
  const req = request(app).get(path);
  if (token !== undefined) req.set('Authorization', `Bearer ${token}`);
  const res = await req.expect(401);
  // no detail: the same body whatever the reason (best practices; cds-hooks/docs#93)
  expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'Authentication required' }] });
  const failure = lines.map((l) => JSON.parse(l) as { msg: string; reason?: string }).find((l) => l.msg === 'authentication failed');
  expect(failure).toBeDefined();
  if (reason !== undefined) expect(failure?.reason).toMatch(reason);
  // the log names the reason, never the token
  if (token !== undefined && token.length > 10) expect(lines.join('\n')).not.toContain(token.split('.')[1] ?? token);
}

describe('the positive path', () => {
  it('accepts an ES384 token whose key is in the JWK Set served on loopback, on discovery, hook and feedback', async () => {
    const { app, store } = createSecureApp([client()]);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key)}`).expect(200);
    const body = hookRequest({ orders: [imagingOrder('sr-1', '71250')], prefetch: prefetchWith({}) });
    await request(app).post(SIGN).set('Authorization', `Bearer ${await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}` })}`).send(body).expect(200);
    const feedback = { feedback: [{ card: '9b1c2f3e-0a6f-4f1e-9d7c-1f2e3d4c5b6a', outcome: 'overridden', outcomeTimestamp: '2026-11-23T10:00:00Z' }] };
    await request(app).post(`${SIGN}/feedback`).set('Authorization', `Bearer ${await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}/feedback` })}`).send(feedback).expect(200);
    // the authenticated caller reaches the audit trail (res.locals.caller -> callerOf)
    const invocations = store.invocations;
    expect(invocations.at(-1)?.clientIss).toBe(EHR_ISS);
  });

  it('accepts aud as an array containing the called URL, and an RS384 key', async () => {
    const rsa = await clientKey('RS384');
    jwks.setKeys([key.publicJwk, rsa.publicJwk]);
    try {
      const { app } = createSecureApp([client()]);
      await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(rsa, { aud: ['https://other.example', `${PUBLIC_BASE}/cds-services`] })}`).expect(200);
    } finally {
      jwks.setKeys([key.publicJwk]);
    }
  });

  it('without PUBLIC_BASE_URL, checks aud against the Host the request was sent to', async () => {
    const { app } = createSecureApp([client()], { PUBLIC_BASE_URL: '' });
    const token = await mintToken(key, { aud: 'http://cds.internal:8080/cds-services' });
    await request(app).get(DISCOVERY).set('Host', 'cds.internal:8080').set('Authorization', `Bearer ${token}`).expect(200);
    const other = await mintToken(key, { aud: 'http://cds.internal:8080/cds-services' });
    await request(app).get(DISCOVERY).set('Host', 'attacker.example').set('Authorization', `Bearer ${other}`).expect(401);
  });

  it('picks up a rotated key: an unknown kid re-fetches the JWK Set', async () => {
    const rotated = await clientKey('ES384');
    const { app } = createSecureApp([client()]);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key)}`).expect(200);
    jwks.setKeys([key.publicJwk, rotated.publicJwk]);
    try {
      await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(rotated)}`).expect(200);
    } finally {
      jwks.setKeys([key.publicJwk]);
    }
  });

  it('accepts keys given inline in the clients file (out-of-band exchange)', async () => {
    const { app } = createSecureApp([trustedClient({ jwks: { keys: [key.publicJwk] }, fhirServers: [] })]);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key)}`).expect(200);
  });

  it('leaves /health, /ready, CORS preflight and routes outside /cds-services to their own rules', async () => {
    const { app } = createSecureApp([client()]);
    await request(app).get('/health').expect(200);
    await request(app).get('/ready').expect(200);
    await request(app).get('/not-a-cds-endpoint').expect(404);
    await request(app).get('/cds-servicesX').expect(404);
    await request(app).get('/cds-services/').expect(401);
    await request(app).options(SIGN).set('Origin', 'https://sandbox.cds-hooks.org').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type').expect(204);
  });
});

describe('every failure is a 401 with no detail', () => {
  it('no token', () => expect401(undefined, /no bearer/));
  it('a Basic credential', async () => {
    const { app } = createSecureApp([client()]);
    await request(app).get(DISCOVERY).set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });
  it('garbage', () => expect401('not.a.jwt', /malformed/));
  it('expired', async () => expect401(await mintToken(key, { iatOffsetS: -600, expOffsetS: -120 }), /ERR_JWT_EXPIRED/));
  it('expired within the skew is still accepted; beyond it is not', async () => {
    const { app } = createSecureApp([client()], { JWT_CLOCK_SKEW_S: '60' });
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key, { iatOffsetS: -300, expOffsetS: -30 })}`).expect(200);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key, { iatOffsetS: -300, expOffsetS: -90 })}`).expect(401);
  });
  it('not yet valid (nbf in the future)', async () => expect401(await mintToken(key, { nbfOffsetS: 600 }), /ERR_JWT_CLAIM_VALIDATION_FAILED/));
  it('not yet valid (iat in the future)', async () => expect401(await mintToken(key, { iatOffsetS: 600, expOffsetS: 900 }), /ERR_JWT_CLAIM_VALIDATION_FAILED/));
  it('a lifetime longer than JWT_MAX_LIFETIME_S', async () => expect401(await mintToken(key, { expOffsetS: 7200 }), /lifetime too long/));
  it('wrong aud (another endpoint of this service)', async () => expect401(await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}` }), /ERR_JWT_CLAIM_VALIDATION_FAILED/));
  it('wrong aud (another host)', async () => expect401(await mintToken(key, { aud: 'https://evil.example/cds-services' }), /ERR_JWT_CLAIM_VALIDATION_FAILED/));
  it('unknown iss', async () => expect401(await mintToken(key, { iss: 'https://other-ehr.example' }), /unknown iss/));
  it('no jti', async () => expect401(await mintToken(key, { jti: null }), /ERR_JWT_CLAIM_VALIDATION_FAILED/));
  it('a tenant the client is not configured for', async () => {
    const { app } = createSecureApp([trustedClient({ jwksUrl: jwks.url, tenant: 'hospital-a', fhirServers: [] })]);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key, { tenant: 'hospital-b' })}`).expect(401);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key)}`).expect(401);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key, { tenant: 'hospital-a' })}`).expect(200);
  });
  it('typ other than JWT', async () => expect401(await mintToken(key, { header: { typ: 'at+jwt' } }), /ERR_JWT_CLAIM_VALIDATION_FAILED/));

  it('unknown kid (signed by a key not in the JWK Set), re-fetching within the cooldown only', async () => {
    const stranger = await clientKey('ES384', 'not-in-jwks');
    const { app } = createSecureApp([client()], { JWKS_COOLDOWN_MS: '60000' });
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key)}`).expect(200);
    const before = jwks.fetches();
    for (let i = 0; i < 5; i += 1) await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(stranger)}`).expect(401);
    expect(jwks.fetches() - before).toBeLessThanOrEqual(1);
  });

  it('no kid in the header (REQUIRED by the spec), even when the key would verify', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT' })
      .setIssuer(EHR_ISS)
      .setAudience(`${PUBLIC_BASE}/cds-services`)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti('no-kid')
      .sign(key.privateKey);
    await expect401(token, /no kid/);
  });

  it('a known kid whose signature was made with another key', async () => {
    const stranger = await clientKey('ES384', key.kid);
    await expect401(await mintToken(stranger), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  it('alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: key.kid })}.${b64({ iss: EHR_ISS, aud: `${PUBLIC_BASE}/cds-services`, iat: now, exp: now + 300, jti: 'n1' })}.`;
    await expect401(token, /forbidden alg/);
  });

  it('HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('ES384');
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [JSON.stringify(key.publicJwk), await exportSPKI(publicKey)]) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
        .setIssuer(EHR_ISS)
        .setAudience(`${PUBLIC_BASE}/cds-services`)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .setJti(`hs-${secret.length}`)
        .sign(new TextEncoder().encode(secret));
      await expect401(token, /forbidden alg/);
    }
  });

  it('an allowed-by-spec alg the client is not configured for', async () => {
    const rsa = await clientKey('RS384');
    jwks.setKeys([key.publicJwk, rsa.publicJwk]);
    try {
      const { app } = createSecureApp([trustedClient({ jwksUrl: jwks.url, algorithms: ['ES384'], fhirServers: [] })]);
      await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(rsa)}`).expect(401);
    } finally {
      jwks.setKeys([key.publicJwk]);
    }
  });

  it('a replayed jti', async () => {
    const { app } = createSecureApp([client()]);
    const token = await mintToken(key, { jti: 'once-only' });
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${token}`).expect(200);
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${token}`).expect(401);
    // the same jti in a fresh token of the same client is a replay too
    await request(app).get(DISCOVERY).set('Authorization', `Bearer ${await mintToken(key, { jti: 'once-only' })}`).expect(401);
  });

  it('a jku pointing elsewhere is never fetched', async () => {
    const attacker = await clientKey('ES384', 'attacker-kid');
    const evil = nock('https://evil.example').get('/jwks.json').reply(200, { keys: [attacker.publicJwk] });
    const viaJku = await mintToken(attacker, { header: { jku: 'https://evil.example/jwks.json' } });
    await expect401(viaJku, /ERR_JWKS_NO_MATCHING_KEY/);
    const sameKid = await mintToken(await clientKey('ES384', key.kid), { header: { jku: 'https://evil.example/jwks.json' } });
    await expect401(sameKid, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    expect(evil.isDone()).toBe(false);
    nock.cleanAll();
  });
});

describe('trusted clients file', () => {
  const base = { iss: 'https://ehr.example.org', jwksUrl: 'https://ehr.example.org/jwks.json', fhirServers: ['https://ehr.example.org/fhir/'] };

  it('defaults algorithms to ES384 and RS384 and normalises FHIR base URLs', () => {
    const [c] = parseTrustedClients({ clients: [base] }, 'test');
    expect(c?.algorithms).toEqual(['ES384', 'RS384']);
    expect(c?.fhirServers).toEqual(['https://ehr.example.org/fhir']);
  });

  it.each([['none'], ['HS256'], ['HS384']])('refuses alg %s at load time', (alg) => {
    expect(() => parseTrustedClients({ clients: [{ ...base, algorithms: [alg] }] }, 'clients.json')).toThrow(/clients\.json.*algorithms.*not allowed/s);
  });

  it('refuses a client with both jwksUrl and jwks, or neither, or a private key in jwks', () => {
    expect(() => parseTrustedClients({ clients: [{ ...base, jwks: { keys: [{ kty: 'EC' }] } }] }, 't')).toThrow(/Invalid CDS clients file/);
    const { jwksUrl: _omit, ...noKeys } = base;
    expect(() => parseTrustedClients({ clients: [noKeys] }, 't')).toThrow(/Invalid CDS clients file/);
    expect(() => parseTrustedClients({ clients: [{ ...noKeys, jwks: { keys: [{ kty: 'EC', d: 'secret' }] } }] }, 't')).toThrow(/Invalid CDS clients file/);
  });

  it('refuses a duplicate iss/tenant pair and unknown fields', () => {
    expect(() => parseTrustedClients({ clients: [base, base] }, 't')).toThrow(/repeats iss/);
    expect(() => parseTrustedClients({ clients: [{ ...base, sub: 'x' }] }, 't')).toThrow(/Invalid CDS clients file/);
  });
});

describe('safe defaults at start-up', () => {
  it('without trusted clients, accepts unauthenticated calls on loopback and says so', () => {
    const setup = securitySetup(loadConfig({}), []);
    expect(setup.mode).toBe('open-loopback');
    expect(setup.notices.map((n) => n.message).join(' ')).toMatch(/UNAUTHENTICATED.*loopback/);
  });

  it('refuses to start on another address without trusted clients', () => {
    expect(() => securitySetup(loadConfig({ HOST: '0.0.0.0' }), [])).toThrow(/Refusing to start: HOST=0\.0\.0\.0.*CDS_CLIENTS_FILE/);
  });

  it('starts open on another address only with ALLOW_UNAUTHENTICATED=true', () => {
    expect(securitySetup(loadConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }), []).mode).toBe('open-by-choice');
  });

  it('trusts the CDS Hooks sandbox only on request, with a loud warning', () => {
    const setup = securitySetup(loadConfig({ HOST: '0.0.0.0', TRUST_CDS_HOOKS_SANDBOX: 'true' }), []);
    expect(setup.mode).toBe('jwt');
    expect(setup.clients.map((c) => c.iss)).toEqual(['https://sandbox.cds-hooks.org']);
    expect(setup.clients[0]?.jwksUrl).toBe('https://sandbox.cds-hooks.org/.well-known/jwks.json');
    expect(setup.notices.find((n) => n.level === 'warn')?.message).toMatch(/private key is PUBLIC/);
  });

  it('loads the example clients file shipped in examples/', () => {
    const setup = securitySetup(loadConfig({ HOST: '0.0.0.0', CDS_CLIENTS_FILE: 'examples/cds-clients.example.json' }));
    expect(setup.mode).toBe('jwt');
    expect(setup.clients.length).toBeGreaterThan(0);
  });
});
