import { hookRequest } from '../test/helpers/fhir-builders';
import { startFhirServer } from '../test/helpers/fhir-server';
import { computePrefetch } from '../test/helpers/scenario';
import { benchOrders, benchRecord } from './patient';

/**
 * The bench call's body, as `npm run bench` sends it: the bench patient loaded into the in-process FHIR
 * server, the prefetch computed from the service's own discovery templates. The server is closed again.
 */
export async function benchBody(): Promise<{ body: string; fhirBase: string }> {
  const fhir = await startFhirServer();
  try {
    await fhir.load(benchRecord());
    const base = hookRequest({ hook: 'order-sign', orders: benchOrders(), fhirServer: fhir.baseUrl, accessToken: 'bench-access-token' });
    const prefetch = await computePrefetch(fhir, 'order-sign', base.context);
    return { body: JSON.stringify({ ...base, prefetch }), fhirBase: fhir.baseUrl };
  } finally {
    await fhir.close();
  }
}
