import type { ServiceContent } from '../content/types';
import type { ServiceDefinition } from './types';

/** The discovery view of our services (CDS Hooks 2.0.1 section "Discovery"): the spec's fields only. */
export function discoveryDocument(services: ReadonlyMap<string, ServiceContent>): { services: ServiceDefinition[] } {
  return {
    services: [...services.values()].map((s) => ({
      hook: s.hook,
      id: s.id,
      title: s.title,
      description: s.description,
      prefetch: s.prefetch,
      ...(s.usageRequirements !== undefined ? { usageRequirements: s.usageRequirements } : {}),
    })),
  };
}
