import type { Content } from '../content/types';
import type { HookRequest } from '../cds-hooks/types';

/**
 * Da Vinci CRD "configuration options" (CRD STU 2,
 * https://hl7.org/fhir/us/davinci-crd/STU2/StructureDefinition-CDSHookServicesExtensionConfiguration.html): the service
 * advertises in discovery one boolean option per card type it returns plus `max-cards`; a client sends its
 * choices in `extension["davinci-crd.configuration"]`. Unknown or ill-typed options are ignored,
 * never an error. Card types are the CRD card-type codes our rules carry as `source.topic`.
 */
export const CONFIGURATION_EXTENSION = 'davinci-crd.configuration';
export const CONFIGURATION_OPTIONS_EXTENSION = 'davinci-crd.configuration-options';

export interface ConfigurationOption {
  readonly code: string;
  readonly type: 'boolean' | 'integer';
  readonly name: string;
  readonly description: string;
  readonly default: boolean | number;
}

export interface ClientConfiguration {
  readonly maxCards?: number;
  /** Card types the client switched off. */
  readonly offCardTypes: ReadonlySet<string>;
}

/** `max-cards` default when a client says nothing: high enough never to cut a real answer. */
export const DEFAULT_MAX_CARDS = 100;

/** The options of a service: one per card type that an enabled rule can return, plus max-cards. */
export function configurationOptions(content: Content, activeRuleCodes: readonly string[]): ConfigurationOption[] {
  const types = [...new Set(activeRuleCodes.map((code) => content.rules.get(code)?.crdType).filter((t): t is string => t !== undefined))].sort();
  return [
    ...types.map((code) => ({
      code,
      type: 'boolean' as const,
      name: content.guideline.cardTypes[code] ?? code,
      description: `Return cards of the CRD type "${code}"`,
      default: true,
    })),
    {
      code: 'max-cards',
      type: 'integer',
      name: 'Maximum cards',
      description: 'Return at most this many cards (the most severe first; the evaluation-incomplete card is always returned)',
      default: DEFAULT_MAX_CARDS,
    },
  ];
}

export function readClientConfiguration(request: HookRequest): ClientConfiguration {
  const config = request.extension?.[CONFIGURATION_EXTENSION];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return { offCardTypes: new Set() };
  const entries = Object.entries(config as Record<string, unknown>);
  const max = (config as Record<string, unknown>)['max-cards'];
  return {
    ...(typeof max === 'number' && Number.isInteger(max) && max >= 0 ? { maxCards: max } : {}),
    offCardTypes: new Set(entries.filter(([code, value]) => code !== 'max-cards' && value === false).map(([code]) => code)),
  };
}
