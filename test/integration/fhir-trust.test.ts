import type { Bundle, FhirResource, ServiceRequest } from 'fhir/r4';
import nock from 'nock';
import request from 'supertest';
import type { HookRequest } from '../../src/cds-hooks/types';
import { fhirclientReader } from '../../src/fhir/fhir-reader';
import type { HostLookup } from '../../src/security/fhir-trust';
import { isPrivateAddress } from '../../src/security/fhir-trust';
import { PATIENT_ID, hookRequest, imagingOrder, patient, searchset } from '../support/fhir-builders';
import { PUBLIC_BASE, clientKey, createSecureApp, mintToken, trustedClient } from '../helpers/security';
import type { ClientKey } from '../helpers/security';
import { wireViolations } from '../helpers/wire-rules';

/**
 * FHIR trust (SSRF, docs/security.md): the service calls a fhirServer only when it is allow-listed for
 * the caller, never a private or metadata address it was not explicitly given, never a redirect or a
 * `next` link that leaves the allowed base. nock refuses every outbound request that no scope expects,
 * and records it, so "no outbound request" is asserted, not assumed.
 */
const ACCESS_TOKEN = 'ehr-access-token-3f9a';
const EHR = 'https://ehr.example.org/fhir';
const SIGN = '/cds-services/imaging-order-sign';
// CT abdomen/pelvis with contrast: contrast-renal needs renal labs, conditions and procedures.
const ctWithContrast = (): ServiceRequest => imagingOrder('sr-ct', '74177');

/** Public DNS answers for the test host names; anything else does not resolve. */
const DNS: Record<string, string[]> = {
  'ehr.example.org': ['93.184.216.34'],
  'other.example.org': ['93.184.216.35'],
  'evil.example': ['203.0.113.66'],
  'ehr.intranet.example': ['10.20.30.40'],
  'metadata.example': ['169.254.169.254'],
  'rebound.example': ['93.184.216.36', '127.0.0.1'],
};
const lookup: HostLookup = async (host) => DNS[host] ?? [];
const reader = (allowPrivate = false) => fhirclientReader({ allowPrivate, lookup });

const unexpected: string[] = [];
/** nock 15 hands listeners and reply functions a fetch-style Request. */
const urlOf = (req: unknown): string => String((req as { url?: unknown }).url ?? (req as { href?: unknown }).href ?? 'unknown');
const onNoMatch = (req: unknown): void => {
  const url = urlOf(req);
  // supertest's own calls to the app on loopback pass through nock (enableNetConnect('127.0.0.1'))
  if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) unexpected.push(url);
};

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock.emitter.on('no match', onNoMatch);
});
afterEach(() => {
  nock.cleanAll();
  unexpected.length = 0;
});
afterAll(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  nock.enableNetConnect();
  // uninstall nock's interceptor: jest runs files in one process, and a stale one breaks later files' HTTP
  nock.restore();
});

/** A FHIR server at `base` as nock serves it: the patient, and empty searchsets (or what `bundleFor` returns). */
function ehrScope(base: string, bundleFor: (path: string) => Bundle = () => searchset([])): nock.Scope {
  const url = new URL(base);
  const seenTokens: string[] = [];
  const scope = nock(url.origin, { reqheaders: { authorization: (v: string) => (seenTokens.push(v), true) } })
    .persist()
    .get((p) => p.startsWith(`${url.pathname}/`))
    .query(true)
    .reply(
      200,
      (req: unknown) => {
        const path = new URL(urlOf(req)).pathname;
        return (path.endsWith(`/Patient/${PATIENT_ID}`) ? patient() : bundleFor(path)) as unknown as nock.Body;
      },
      { 'Content-Type': 'application/fhir+json' },
    );
  (scope as unknown as { seenTokens: string[] }).seenTokens = seenTokens;
  return scope;
}

const evilScope = (origin = 'https://evil.example'): nock.Scope => nock(origin).persist().get(/.*/).query(true).reply(200, searchset([]) as unknown as nock.Body);

function callBody(fhirServer: string): HookRequest {
  return hookRequest({ orders: [ctWithContrast()], fhirServer, accessToken: ACCESS_TOKEN });
}

describe('authenticated callers reach only their own FHIR servers', () => {
  let key: ClientKey;
  beforeAll(async () => {
    key = await clientKey('ES384');
  });
  const client = () => trustedClient({ jwks: { keys: [key.publicJwk] }, fhirServers: [EHR] });
  const bearer = async () => `Bearer ${await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}` })}`;

  it('reads the allow-listed server with the call access token, and answers a wire-valid 200', async () => {
    const ehr = ehrScope(EHR);
    const { app } = createSecureApp([client()], {}, { readerFactory: reader() });
    const body = callBody(EHR);
    const res = await request(app).post(SIGN).set('Authorization', await bearer()).send(body).expect(200);
    expect(wireViolations(res.body, body)).toEqual([]);
    expect(ehr.isDone()).toBe(true);
    const tokens = (ehr as unknown as { seenTokens: string[] }).seenTokens;
    expect(tokens.length).toBeGreaterThan(0);
    expect(new Set(tokens)).toEqual(new Set([`Bearer ${ACCESS_TOKEN}`]));
    // the access token is used, not echoed
    expect(JSON.stringify(res.body)).not.toContain(ACCESS_TOKEN);
    expect(unexpected).toEqual([]);
  });

  it("makes no request to a fhirServer outside the client's list, even one in ALLOWED_FHIR_SERVERS, and answers 412", async () => {
    const other = ehrScope('https://other.example.org/fhir');
    const { app } = createSecureApp([client()], { ALLOWED_FHIR_SERVERS: 'https://other.example.org/fhir' }, { readerFactory: reader() });
    const res = await request(app).post(SIGN).set('Authorization', await bearer()).send(callBody('https://other.example.org/fhir')).expect(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).toMatch(/not on the allow-list/);
    expect(other.isDone()).toBe(false);
    expect(unexpected).toEqual([]);
  });

  it('treats a base URL that only looks like an allowed one as another server', async () => {
    const { app } = createSecureApp([client()], {}, { readerFactory: reader() });
    for (const lookalike of ['https://ehr.example.org/fhir/../admin', 'https://ehr.example.org.evil.example/fhir', 'https://ehr.example.org@evil.example/fhir', 'https://ehr.example.org:8443/fhir']) {
      const evil = evilScope(new URL(lookalike).origin);
      await request(app).post(SIGN).set('Authorization', await bearer()).send(callBody(lookalike)).expect(412);
      expect(evil.isDone()).toBe(false);
    }
    expect(unexpected).toEqual([]);
  });
});

describe('unauthenticated (loopback) mode uses ALLOWED_FHIR_SERVERS and refuses private targets', () => {
  it('makes no request to a server that is not listed, private or public', async () => {
    const { app } = createSecureApp([], { ALLOWED_FHIR_SERVERS: EHR }, { readerFactory: reader() });
    for (const target of ['http://10.0.0.5/fhir', 'http://192.168.1.10/fhir', 'http://[fd00::1]/fhir', 'http://169.254.169.254/latest/meta-data', 'https://other.example.org/fhir']) {
      const res = await request(app).post(SIGN).send(callBody(target)).expect(412);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    expect(unexpected).toEqual([]);
  });

  it('never calls a metadata address, even when it is listed', async () => {
    const { app } = createSecureApp([], { ALLOWED_FHIR_SERVERS: 'http://169.254.169.254/fhir,https://metadata.example/fhir' }, { readerFactory: reader(true) });
    await request(app).post(SIGN).send(callBody('http://169.254.169.254/fhir')).expect(412);
    await request(app).post(SIGN).send(callBody('https://metadata.example/fhir')).expect(412);
    expect(unexpected).toEqual([]);
  });

  it('refuses a listed host name that resolves to a private address unless ALLOW_PRIVATE_FHIR_SERVERS', async () => {
    const intranet = 'https://ehr.intranet.example/fhir';
    const scope = ehrScope(intranet);
    const strict = createSecureApp([], { ALLOWED_FHIR_SERVERS: intranet }, { readerFactory: reader(false) });
    await request(strict.app).post(SIGN).send(callBody(intranet)).expect(412);
    expect(scope.isDone()).toBe(false);
    const rebound = ehrScope('https://rebound.example/fhir');
    await request(strict.app).post(SIGN).send(callBody('https://rebound.example/fhir')).expect(412);
    expect(rebound.isDone()).toBe(false);

    const intranetAllowed = createSecureApp([], { ALLOWED_FHIR_SERVERS: intranet }, { readerFactory: reader(true) });
    await request(intranetAllowed.app).post(SIGN).send(callBody(intranet)).expect(200);
    expect(scope.isDone()).toBe(true);
    expect(unexpected).toEqual([]);
  });
});

describe('the FHIR server cannot steer the service elsewhere', () => {
  it('does not follow a redirect off the base (the key fails, the call still answers)', async () => {
    const evil = evilScope();
    nock('https://ehr.example.org')
      .persist()
      .get((p) => p.startsWith('/fhir/Condition'))
      .query(true)
      .reply(302, '', { Location: 'https://evil.example/steal' });
    ehrScope(EHR);
    const { app } = createSecureApp([], { ALLOWED_FHIR_SERVERS: EHR }, { readerFactory: reader() });
    const body = callBody(EHR);
    const res = await request(app).post(SIGN).send(body);
    expect([200, 412]).toContain(res.status);
    if (res.status === 200) {
      expect(wireViolations(res.body, body)).toEqual([]);
      expect(JSON.stringify(res.body)).toMatch(/evaluation-incomplete/);
    }
    expect(evil.isDone()).toBe(false);
    expect(unexpected).toEqual([]);
  });

  it('does not follow a next link that leaves the base, on another host or another path of the same host', async () => {
    const evil = evilScope();
    const admin = nock('https://ehr.example.org').persist().get((p) => p.startsWith('/admin')).query(true).reply(200, searchset([]) as unknown as nock.Body);
    let page = 0;
    const ehr = ehrScope(EHR, (path) => {
      if (!path.startsWith('/fhir/Condition')) return searchset([]);
      page += 1;
      const bundle = searchset([]);
      bundle.link = [{ relation: 'next', url: page === 1 ? 'https://evil.example/fhir/Condition?page=2' : 'https://ehr.example.org/admin/Condition?page=3' }];
      return bundle;
    });
    const { app } = createSecureApp([], { ALLOWED_FHIR_SERVERS: EHR }, { readerFactory: reader() });
    const body = callBody(EHR);
    const first = await request(app).post(SIGN).send(body).expect(200);
    expect(wireViolations(first.body, body)).toEqual([]);
    await request(app).post(SIGN).send(callBody(EHR)).expect(200);
    expect(ehr.isDone()).toBe(true);
    expect(page).toBe(2);
    expect(evil.isDone()).toBe(false);
    expect(admin.isDone()).toBe(false);
    expect(unexpected).toEqual([]);
  });

  it('follows a next link inside the base, up to FHIR_PAGE_LIMIT pages', async () => {
    let pages = 0;
    ehrScope(EHR, (path) => {
      if (!path.startsWith('/fhir/Condition')) return searchset([]);
      pages += 1;
      const bundle = searchset([]);
      bundle.link = [{ relation: 'next', url: `${EHR}/Condition?patient=${PATIENT_ID}&page=${pages + 1}` }];
      return bundle;
    });
    const { app } = createSecureApp([], { ALLOWED_FHIR_SERVERS: EHR, FHIR_PAGE_LIMIT: '3' }, { readerFactory: reader() });
    await request(app).post(SIGN).send(callBody(EHR)).expect(200);
    expect(pages).toBe(3);
  });
});

describe('address classification', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.5.4', true],
    ['192.168.0.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
  ])('%s private: %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

// keep the FhirResource import meaningful for readers of the builders above
export type { FhirResource };
