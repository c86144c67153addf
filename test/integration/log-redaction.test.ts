import { Writable } from 'node:stream';
import type { FhirResource } from 'fhir/r4';
import request from 'supertest';
import type { HookRequest } from '../../src/cds-hooks/types';
import { createLogger } from '../../src/logging';
import { hookRequest, imagingOrder, labObservation, patient, prefetchWith } from '../support/fhir-builders';
import { startFhirServer } from '../support/fhir-server';
import type { FhirTestServer } from '../support/fhir-server';
import { PUBLIC_BASE, clientKey, createSecureApp, mintToken, trustedClient } from '../helpers/security';
import type { ClientKey } from '../helpers/security';

/**
 * No PHI and no secrets in logs, checked on everything the service logs at `trace`
 * during realistic calls: authenticated, reading the EHR's server with an access token, with a partial
 * record, a rejected token and a malformed request. The logger configuration does the redaction.
 */
const PATIENT = 'pt-9f3c71e2';
const FAMILY = 'Zelinskaya';
const GIVEN = 'Oksana';
const ACCESS_TOKEN = 'at-S3CRET-77c1d0e5';
const SIGN = '/cds-services/imaging-order-sign';

/** The builders' resources, moved to a patient whose id and name are unique strings we can search logs for. */
const forPatient = <T>(value: T): T => JSON.parse(JSON.stringify(value).replace(/pat-1/g, PATIENT)) as T;

function capture(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, log: createLogger({ logLevel: 'trace' }, stream) };
}

let server: FhirTestServer;
let key: ClientKey;
beforeAll(async () => {
  key = await clientKey('ES384');
  server = await startFhirServer();
  const person = forPatient(patient({ name: [{ family: FAMILY, given: [GIVEN] }], birthDate: '1958-02-17' }));
  await server.load([person, forPatient(labObservation('egfr-1', '98979-8', 24, 'mL/min/{1.73_m2}', '2026-11-10'))] as FhirResource[]);
});
afterAll(() => server.close());

function expectClean(lines: readonly string[], secrets: readonly string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  const all = lines.join('\n');
  for (const s of secrets) expect(all).not.toContain(s);
  // every line is JSON with no resource in it
  for (const line of lines) expect(JSON.parse(line)).not.toHaveProperty('resourceType');
}

describe('log output of full hook calls', () => {
  it('carries no patient id, name, birth date, access token or JWT', async () => {
    const { lines, log } = capture();
    const { app } = createSecureApp([trustedClient({ jwks: { keys: [key.publicJwk] }, fhirServers: [server.baseUrl] })], {}, { log });
    server.failWhen((p) => p.startsWith('Procedure'), 'error-500'); // a partial record: the "record incomplete" warning path

    const body: HookRequest = forPatient(hookRequest({ orders: [imagingOrder('sr-ct', '74177')], fhirServer: server.baseUrl, accessToken: ACCESS_TOKEN }));
    const jwt = await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}` });
    const res = await request(app).post(SIGN).set('Authorization', `Bearer ${jwt}`).send(body).expect(200);
    expect(JSON.stringify(res.body)).toContain('contrast-renal'); // the call really read the patient's labs

    // the same request with prefetch, a replayed token, and a malformed request from an authenticated client
    const withPrefetch = forPatient(hookRequest({ orders: [imagingOrder('sr-ct', '74177')], prefetch: prefetchWith({}, patient({ name: [{ family: FAMILY, given: [GIVEN] }] })) }));
    const jwt2 = await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}` });
    await request(app).post(SIGN).set('Authorization', `Bearer ${jwt2}`).send(withPrefetch).expect(200);
    await request(app).post(SIGN).set('Authorization', `Bearer ${jwt2}`).send(withPrefetch).expect(401);
    const jwt3 = await mintToken(key, { aud: `${PUBLIC_BASE}${SIGN}` });
    await request(app).post(SIGN).set('Authorization', `Bearer ${jwt3}`).send({ ...withPrefetch, hookInstance: 42 }).expect(400);
    server.clearFaults();

    expectClean(lines, [PATIENT, FAMILY, GIVEN, '1958-02-17', ACCESS_TOKEN, jwt, jwt2, jwt3, ...[jwt, jwt2, jwt3].map((t) => t.split('.')[2] ?? '')]);
    // the log still says what happened, in ids that carry no PHI
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toEqual(expect.arrayContaining(['record incomplete', 'authentication failed', 'request rejected']));
  });
});

describe('the logger configuration itself', () => {
  it('redacts a careless log call at any depth and masks JWTs and bearer credentials in any string', async () => {
    const { lines, log } = capture();
    const jwt = await mintToken(key);
    const body = forPatient(hookRequest({ orders: [imagingOrder('sr-1', '71250')], fhirServer: 'https://ehr.example.org/fhir', accessToken: ACCESS_TOKEN }));
    log.info({ request: body, wrapped: { deeper: { still: { headers: { Authorization: `Bearer ${jwt}` } } } } }, 'careless');
    log.warn({ note: `client sent Bearer ${ACCESS_TOKEN} and ${jwt}` }, `token ${jwt} seen`);
    log.error({ err: new Error(`upstream said: Bearer ${ACCESS_TOKEN}`) }, 'failure');
    log.info('printf %s', jwt);
    expectClean(lines, [PATIENT, ACCESS_TOKEN, jwt, jwt.split('.')[1] ?? '']);
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('logs dates as ISO strings, not as empty objects', () => {
    const { lines, log } = capture();
    // The shape of the retention purge's log line (src/main.ts).
    log.info({ invocations: 3, feedback: 1, cutoff: new Date('2025-11-24T04:00:00.000Z'), nested: { at: new Date(Number.NaN) } }, 'retention purge');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ invocations: 3, cutoff: '2025-11-24T04:00:00.000Z', nested: { at: 'Invalid Date' } });
  });
});
