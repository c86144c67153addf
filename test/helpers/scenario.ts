import type { FhirResource, ServiceRequest } from 'fhir/r4';
import request from 'supertest';
import type { Card, HookRequest, HookResponse } from '../../src/cds-hooks/types';
import { hookRequest, patient as defaultPatient } from '../support/fhir-builders';
import { startFhirServer } from '../support/fhir-server';
import type { FhirTestServer } from '../support/fhir-server';
import { computePrefetch } from '../support/prefetch';
import { createTestApp, serviceParts } from './test-app';
import { undeclaredValueSets } from './declared-value-sets';
import { expectWireValid } from './wire-rules';

/**
 * A clinical scenario: the draft orders and the patient's record as FHIR resources. It runs through the
 * HTTP surface twice: once with the prefetch a CDS client would compute from our own
 * discovery templates against a real FHIR server, and once with no prefetch at all, the service reading
 * the same server itself.
 */
export interface Scenario {
  readonly hook?: 'order-select' | 'order-sign';
  readonly orders: readonly ServiceRequest[];
  /** Selected orders for order-select (default: all). */
  readonly selections?: readonly string[];
  /** Everything in the EHR for this patient (Patient included unless `patient: null`). */
  readonly record: readonly FhirResource[];
  readonly patient?: FhirResource | null;
}

export type Mode = 'prefetch' | 'fhir-server';
export const MODES: readonly Mode[] = ['prefetch', 'fhir-server'];

/** The prefetch a CDS client would send for `hook`: this service's discovery templates against `server`. */
function prefetchFor(server: FhirTestServer, hook: 'order-select' | 'order-sign', context: HookRequest['context']): Promise<Record<string, FhirResource | null>> {
  const service = serviceParts().content.services.get(`imaging-${hook}`);
  if (service === undefined) throw new Error(`no service for ${hook}`);
  return computePrefetch(server, service.prefetch, context);
}

export interface ScenarioResult {
  readonly response: HookResponse;
  readonly request: HookRequest;
  /** FHIR requests the service made itself (empty in prefetch mode). */
  readonly fhirRequests: readonly string[];
  cardsFor(rule: string): Card[];
}

export async function runScenario(scenario: Scenario, mode: Mode, env: Record<string, string> = {}): Promise<ScenarioResult> {
  const server = await startFhirServer();
  try {
    const patient = scenario.patient === undefined ? defaultPatient() : scenario.patient;
    await server.load([...(patient === null ? [] : [patient]), ...scenario.record]);
    const hook = scenario.hook ?? 'order-sign';
    const base = hookRequest({
      hook,
      orders: scenario.orders,
      ...(scenario.selections !== undefined ? { selections: scenario.selections } : {}),
      fhirServer: server.baseUrl,
      accessToken: 'test-access-token',
    });
    const body: HookRequest = mode === 'prefetch' ? { ...base, prefetch: await prefetchFor(server, hook, base.context) } : base;
    const before = server.requests.length;
    const { app } = createTestApp({ ALLOWED_FHIR_SERVERS: server.baseUrl, ...env });
    const res = await request(app).post(`/cds-services/imaging-${hook}`).send(body);
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
    expect(undeclaredValueSets()).toEqual([]);
    const response = expectWireValid(res.body, body);
    const fhirRequests = server.requests.slice(before);
    return {
      response,
      request: body,
      fhirRequests,
      cardsFor: (rule) => response.cards.filter((c) => c.extension['imaging-cds'].rule === rule),
    };
  } finally {
    await server.close();
  }
}
