import nock from 'nock';
import request from 'supertest';
import type { FhirResource } from 'fhir/r4';
import {
  PATIENT_ID,
  device,
  emptyPrefetch,
  hookRequest,
  imagingOrder,
  labObservation,
  patient,
  searchset,
} from '../support/fhir-builders';
import { fhirclientReader } from '../../src/fhir/fhir-reader';
import { createTestApp, onlyRules } from '../helpers/test-app';
import { expectOperationOutcome, expectWireValid } from '../helpers/wire-rules';

/**
 * The FHIR-fallback paths with nock (as the user asked): missing prefetch keys are read from fhirServer
 * with the access token, null keys are never re-read, OperationOutcome values are re-read, errors and
 * time-outs end inside the budget with 412 (nothing usable) or an evaluation-incomplete card (partial).
 */
const EHR = 'https://ehr.example.test/fhir';
const TOKEN = 'secret-access-token-123';
/** The test EHR's host resolves to a public documentation address (RFC 5737); no real DNS in tests. */
const readerFactory = fhirclientReader({ allowPrivate: false, lookup: async (host) => (host === 'ehr.example.test' ? ['192.0.2.10'] : []) });

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1'); // supertest talks to the app on loopback
});
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  // nock patches node's http module, which outlives this file in the jest worker: un-patch it.
  nock.restore();
});

const mriLumbar = imagingOrder('sr-1', '72148');
const ctContrast = imagingOrder('sr-2', '74177');

/** A nock scope that only matches requests carrying the hook's bearer token. */
const ehr = () => nock(EHR, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

function prefetchWithout(...keys: string[]): Record<string, FhirResource | null> {
  const all: Record<string, FhirResource | null> = { patient: patient(), ...emptyPrefetch() };
  for (const k of keys) delete all[k];
  return all;
}

describe('reading missing prefetch keys from the FHIR server', () => {
  // These tests are about the data path; the two core rules stand for the catalog.
  const { app } = createTestApp({ ALLOWED_FHIR_SERVERS: EHR, FHIR_TIME_BUDGET_MS: '300', ...onlyRules('contrast-renal', 'mri-device') }, { readerFactory });

  it('fetches only the missing keys the applicable rules need, with the bearer token, and uses them', async () => {
    const scope = ehr()
      .get('/Device')
      .query((q) => q['patient'] === PATIENT_ID)
      .reply(200, searchset([device('dev-pm', '14106009', 'Cardiac pacemaker')]));
    const body = hookRequest({ orders: [mriLumbar], prefetch: prefetchWithout('devices'), fhirServer: EHR, accessToken: TOKEN });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    expectWireValid(res.body, body);
    expect(res.body.cards.map((c: { extension: { 'imaging-cds': { rule: string } } }) => c.extension['imaging-cds'].rule)).toContain('mri-device');
    expect(scope.isDone()).toBe(true);
  });

  it('never re-reads a key whose prefetch value is null (queried, nothing there)', async () => {
    // disableNetConnect + no interceptors: any outbound request would fail the call into a 412 or a card
    const body = hookRequest({ orders: [mriLumbar, ctContrast], prefetch: prefetchWithout(), fhirServer: EHR, accessToken: TOKEN });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    expect(expectWireValid(res.body, body).cards).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('re-reads a key whose prefetch value is an OperationOutcome (the client query failed)', async () => {
    const scope = ehr()
      .get('/Observation')
      .query(true)
      .reply(200, searchset([labObservation('egfr', '98979-8', 21, 'mL/min/{1.73_m2}', '2026-11-22')]));
    const prefetch = { ...prefetchWithout(), renalLabs: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] } } as Record<string, FhirResource | null>;
    const body = hookRequest({ orders: [ctContrast], prefetch, fhirServer: EHR, accessToken: TOKEN });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    expect(expectWireValid(res.body, body).cards[0]?.extension['imaging-cds'].rule).toBe('contrast-renal');
    expect(scope.isDone()).toBe(true);
  });

  it('follows paging up to the configured bound for unbounded searches', async () => {
    const page1 = { ...searchset([device('d1', '25510005', 'Heart valve prosthesis', { status: 'inactive' })]), link: [{ relation: 'next', url: `${EHR}/Device?patient=${PATIENT_ID}&page=2` }] };
    const page2 = searchset([device('d2', '14106009', 'Cardiac pacemaker')]);
    const scope = ehr()
      .get('/Device')
      .query({ patient: PATIENT_ID })
      .reply(200, page1)
      .get('/Device')
      .query({ patient: PATIENT_ID, page: '2' })
      .reply(200, page2);
    const body = hookRequest({ orders: [mriLumbar], prefetch: prefetchWithout('devices'), fhirServer: EHR, accessToken: TOKEN });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    expect(expectWireValid(res.body, body).cards[0]?.detail).toContain('Device/d2');
    expect(scope.isDone()).toBe(true);
  });

  it('answers 412 with one issue per key when the server fails for everything needed', async () => {
    ehr().get(/.*/).times(5).reply(500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
    const body = hookRequest({ orders: [mriLumbar], fhirServer: EHR, accessToken: TOKEN });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(412);
    expectOperationOutcome(res.body);
    expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0]).sort()).toEqual(['prefetch.conditions', 'prefetch.devices']);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('evaluates what it can and adds an evaluation-incomplete card when one key fails', async () => {
    ehr().get('/Observation').query(true).reply(503, 'upstream down');
    const body = hookRequest({ orders: [mriLumbar, ctContrast], prefetch: { ...prefetchWithout('renalLabs'), devices: searchset([device('dev-pm', '14106009', 'Cardiac pacemaker')]) }, fhirServer: EHR, accessToken: TOKEN });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    const cards = expectWireValid(res.body, body).cards;
    expect(cards.map((c) => [c.extension['imaging-cds'].rule, c.indicator])).toEqual([
      ['mri-device', 'warning'],
      ['evaluation-incomplete', 'info'],
    ]);
    expect(cards[1]?.detail).toContain('contrast-renal');
    expect(cards[1]?.detail).toContain('The service could not read the kidney-function labs (503 from the FHIR server)');
  });

  it('ends inside its time budget when the FHIR server stalls', async () => {
    ehr().get('/Observation').query(true).delay(5_000).reply(200, searchset([]));
    const body = hookRequest({ orders: [ctContrast], prefetch: prefetchWithout('renalLabs'), fhirServer: EHR, accessToken: TOKEN });
    const started = Date.now();
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(expectWireValid(res.body, body).cards.map((c) => c.extension['imaging-cds'].rule)).toEqual(['evaluation-incomplete']);
  });

  it('makes no outbound request to a fhirServer that is not allowed', async () => {
    const { app: strict } = createTestApp({ ALLOWED_FHIR_SERVERS: 'https://other.example.test/fhir', ...onlyRules('contrast-renal', 'mri-device') });
    const body = hookRequest({ orders: [mriLumbar], fhirServer: EHR, accessToken: TOKEN });
    const res = await request(strict).post('/cds-services/imaging-order-sign').send(body).expect(412);
    expect(res.body.issue[0].diagnostics).toMatch(/allow-list/);
  });
});
