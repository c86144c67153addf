import type { FhirResource } from 'fhir/r4';
import request from 'supertest';
import { checkInputLimits } from '../../src/security/input-limits';
import { ICD10, condition, hookRequest, imagingOrder, labObservation, prefetchWith } from '../support/fhir-builders';
import { PUBLIC_BASE, clientKey, createSecureApp, mintToken, trustedClient } from '../helpers/security';
import { createTestApp } from '../helpers/test-app';
import { wireViolations } from '../helpers/wire-rules';

/**
 * Bounds on hostile input and the proof that a large but real EHR request stays well
 * inside them.
 */
const SIGN = '/cds-services/imaging-order-sign';

function nest(depth: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < depth; i += 1) v = i % 2 === 0 ? { n: v } : [v];
  return v;
}

describe('limits no EHR request reaches', () => {
  it('accepts a realistic request with 1,000 prefetched resources', async () => {
    const labs = Array.from({ length: 400 }, (_, i) => labObservation(`o-${i}`, '98979-8', 60 + (i % 30), 'mL/min/{1.73_m2}', `2025-${String((i % 12) + 1).padStart(2, '0')}-10`));
    const conditions = Array.from({ length: 400 }, (_, i) => condition(`c-${i}`, ICD10, 'I10', 'Essential hypertension'));
    const procedures = Array.from({ length: 200 }, (_, i) => ({ resourceType: 'Procedure', id: `p-${i}`, status: 'completed', subject: { reference: 'Patient/pat-1' }, performedDateTime: '2024-01-01' }) as FhirResource);
    const orders = Array.from({ length: 20 }, (_, i) => imagingOrder(`sr-${i}`, i % 2 === 0 ? '74177' : '70553'));
    const body = hookRequest({ orders, prefetch: prefetchWith({ renalLabs: labs, conditions, procedures }) });
    const { app } = createTestApp();
    const res = await request(app).post(SIGN).send(body).expect(200);
    expect(wireViolations(res.body, body)).toEqual([]);
  });

  it('rejects nesting deeper than MAX_JSON_DEPTH with a 400 OperationOutcome, before validation', async () => {
    const { app } = createTestApp();
    const body = { ...hookRequest({ orders: [imagingOrder('sr-1', '71250')], prefetch: prefetchWith({}) }), extension: { deep: nest(80) } };
    const res = await request(app).post(SIGN).send(body).expect(400);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-costly' }] });
    expect(res.body.issue[0].diagnostics).toMatch(/deeper than 64/);
  });

  it('answers 400, not a crash, to 100,000 levels of nesting', async () => {
    const { app } = createTestApp();
    const raw = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await request(app).post('/cds-services/imaging-order-sign/feedback').set('Content-Type', 'application/json').send(raw);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('rejects a prefetch Bundle larger than MAX_BUNDLE_ENTRIES with 413', async () => {
    const { app } = createTestApp({ MAX_BUNDLE_ENTRIES: '100' });
    const labs = Array.from({ length: 101 }, (_, i) => labObservation(`o-${i}`, '98979-8', 60, 'mL/min/{1.73_m2}', '2025-01-10'));
    const res = await request(app).post(SIGN).send(hookRequest({ orders: [imagingOrder('sr-1', '74177')], prefetch: prefetchWith({ renalLabs: labs }) })).expect(413);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-costly' }] });
  });

  it('rejects more than 500 draft orders (schema bound) and bodies over BODY_LIMIT_BYTES', async () => {
    const { app } = createTestApp({ BODY_LIMIT_BYTES: '65536' });
    const many = hookRequest({ orders: Array.from({ length: 501 }, (_, i) => imagingOrder(`sr-${i}`, '71250')) });
    const big = await request(app).post(SIGN).send(many);
    expect(big.status).toBe(413);
    const { app: roomy } = createTestApp();
    const res = await request(roomy).post(SIGN).send(many).expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('refuses deep input at the limit, however deep it goes, and names where', () => {
    expect(checkInputLimits(nest(1_000_000), { maxDepth: 64, maxBundleEntries: 10 })).toMatchObject({ kind: 'depth' });
    expect(checkInputLimits(nest(60), { maxDepth: 64, maxBundleEntries: 10 })).toBeUndefined();
    expect(checkInputLimits({ a: [1, { b: { c: {} } }] }, { maxDepth: 3, maxBundleEntries: 10 })).toEqual({ kind: 'depth', path: 'a[1].b' });
    const bundle = { resourceType: 'Bundle', entry: [{}, {}, {}] };
    expect(checkInputLimits({ prefetch: { labs: bundle } }, { maxDepth: 64, maxBundleEntries: 2 })).toEqual({ kind: 'bundle', path: 'prefetch.labs', entries: 3 });
    expect(checkInputLimits(bundle, { maxDepth: 64, maxBundleEntries: 2 })).toEqual({ kind: 'bundle', path: '(body)', entries: 3 });
  });
});

describe('rate limit', () => {
  it('answers 429 with an OperationOutcome once a caller IP spends its budget', async () => {
    // the limiter is one of the security guards main.ts installs
    const secured = createSecureApp([], { RATE_LIMIT_PER_MINUTE: '3' }).app;
    for (let i = 0; i < 3; i += 1) await request(secured).get('/cds-services').expect(200);
    const res = await request(secured).get('/cds-services').expect(429);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
    expect(res.headers['retry-after']).toBeDefined();
    // health checks are never throttled
    await request(secured).get('/health').expect(200);
  });

  it('throttles an IP that keeps failing authentication, before checking its tokens', async () => {
    const a = await clientKey('ES384');
    const { app } = createSecureApp([trustedClient({ jwks: { keys: [a.publicJwk] }, fhirServers: [] })], { RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i += 1) await request(app).get('/cds-services').set('Authorization', 'Bearer a.b.c').expect(401);
    const res = await request(app).get('/cds-services').set('Authorization', `Bearer ${await mintToken(a, { aud: `${PUBLIC_BASE}/cds-services` })}`).expect(429);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
  });

  it('counts per authenticated client, not per IP', async () => {
    const a = await clientKey('ES384');
    const b = await clientKey('ES384');
    const clients = [trustedClient({ iss: 'https://a.example', jwks: { keys: [a.publicJwk] }, fhirServers: [] }), trustedClient({ iss: 'https://b.example', jwks: { keys: [b.publicJwk] }, fhirServers: [] })];
    const { app } = createSecureApp(clients, { RATE_LIMIT_PER_MINUTE: '2' });
    const get = async (key: typeof a, iss: string) => request(app).get('/cds-services').set('Authorization', `Bearer ${await mintToken(key, { iss, aud: `${PUBLIC_BASE}/cds-services` })}`);
    expect((await get(a, 'https://a.example')).status).toBe(200);
    expect((await get(a, 'https://a.example')).status).toBe(200);
    expect((await get(a, 'https://a.example')).status).toBe(429);
    expect((await get(b, 'https://b.example')).status).toBe(200);
  });
});
