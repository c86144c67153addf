import type { Content } from '../content/types';
import { CONFIGURATION_OPTIONS_EXTENSION, configurationOptions } from './client-configuration';
import type { ServiceDefinition } from '../cds-hooks/types';

/**
 * The discovery view of our services (CDS Hooks 2.0.1 section "Discovery"): the spec's fields, plus the
 * Da Vinci CRD configuration options under `extension` (derived from the enabled rules' card types, so it
 * cannot drift from what the service returns).
 */
export function discoveryDocument(content: Content, activeRuleCodes: readonly string[]): { services: ServiceDefinition[] } {
  const options = configurationOptions(content, activeRuleCodes);
  return {
    services: [...content.services.values()].map((s) => ({
      hook: s.hook,
      id: s.id,
      title: s.title,
      description: s.description,
      prefetch: s.prefetch,
      ...(s.usageRequirements !== undefined ? { usageRequirements: s.usageRequirements } : {}),
      extension: { [CONFIGURATION_OPTIONS_EXTENSION]: options },
    })),
  };
}
