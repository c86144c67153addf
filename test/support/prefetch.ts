import type { FhirResource } from 'fhir/r4';
import type { HookRequest } from '../../src/cds-hooks/types';
import { renderTemplate } from '../../src/cds-hooks/prefetch-template';
import type { FhirTestServer } from './fhir-server';

/**
 * What a CDS client sends as prefetch: the service's discovery templates rendered for the hook context
 * and run against the EHR's FHIR server. A 404 is sent as `null` ("queried, nothing there"); a template
 * the context cannot fill, or any other failure, leaves its key out.
 */
export async function computePrefetch(
  server: FhirTestServer,
  templates: Readonly<Record<string, string>>,
  context: HookRequest['context'],
): Promise<Record<string, FhirResource | null>> {
  const out: Record<string, FhirResource | null> = {};
  for (const [key, template] of Object.entries(templates)) {
    const url = renderTemplate(template, context);
    if (url === undefined) continue;
    const res = await fetch(`${server.baseUrl}/${url}`, { headers: { accept: 'application/fhir+json' } });
    if (res.status === 404) out[key] = null;
    else if (res.ok) out[key] = (await res.json()) as FhirResource;
  }
  return out;
}
