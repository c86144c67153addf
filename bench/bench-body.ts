import type { FhirResource, ServiceRequest } from 'fhir/r4';
import pino from 'pino';
import type { HookRequest } from '../src/cds-hooks/types';
import { hookDeps, loadServiceParts } from '../src/compose';
import { loadConfig } from '../src/config';
import type { AuditStore } from '../src/store/types';
import { hookRequest } from '../test/support/fhir-builders';
import { startFhirServer } from '../test/support/fhir-server';
import type { FhirTestServer } from '../test/support/fhir-server';
import { computePrefetch } from '../test/support/prefetch';
import { benchOrders, benchRecord } from './patient';

export interface BenchCall {
  readonly record: readonly FhirResource[];
  readonly orders: readonly ServiceRequest[];
  readonly withPrefetch: HookRequest;
  readonly withoutPrefetch: HookRequest;
}

/**
 * The bench call: the bench patient loaded into `fhir`, and the order-sign request with the prefetch a CDS
 * client computes from the service's own discovery templates against that server (and without it).
 */
export async function benchCall(fhir: FhirTestServer): Promise<BenchCall> {
  const record = benchRecord();
  await fhir.load(record);
  const orders = benchOrders();
  const withoutPrefetch = hookRequest({ hook: 'order-sign', orders, fhirServer: fhir.baseUrl, accessToken: 'bench-access-token' });
  const config = loadConfig({});
  const service = loadServiceParts(config).content.services.get('imaging-order-sign');
  if (service === undefined) throw new Error('no imaging-order-sign service in cds-services/');
  const prefetch = await computePrefetch(fhir, service.prefetch, withoutPrefetch.context);
  return { record, orders, withPrefetch: { ...withoutPrefetch, prefetch }, withoutPrefetch };
}

/** The bench call's body with prefetch, for the in-process tools; the FHIR server is closed again. */
export async function benchBody(): Promise<{ body: string; fhirBase: string }> {
  const fhir = await startFhirServer();
  try {
    return { body: JSON.stringify((await benchCall(fhir)).withPrefetch), fhirBase: fhir.baseUrl };
  } finally {
    await fhir.close();
  }
}

/**
 * The service's hook dependencies for in-process measurement: the deployment's content and rules, logs at
 * the service's level into /dev/null, and audit records dropped. The service hands them to a write-behind
 * buffer and a worker thread; a synchronous insert here would charge the event loop with work it does not do.
 */
export function benchHookDeps(fhirBase: string): ReturnType<typeof hookDeps> {
  const config = loadConfig({ LOG_LEVEL: 'info', ALLOWED_FHIR_SERVERS: fhirBase });
  const discardingAudit = { recordInvocation: async () => undefined, recordFeedback: async () => undefined } as unknown as AuditStore;
  return hookDeps(config, loadServiceParts(config), discardingAudit, pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true })));
}
