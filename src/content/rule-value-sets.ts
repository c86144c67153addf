import type { Rule } from '../rules/engine/types';
import type { Terminology } from '../terminology/types';
import { ContentError } from './load-content';

/**
 * Start-up check that every value set a rule declares was loaded from fhir-profiles/: a rule asking about
 * an id that is not there would find nothing and stay silent, which must never read as clearance.
 */
export function checkRuleValueSets(rules: readonly Rule[], terminology: Pick<Terminology, 'hasValueSet'>): void {
  for (const rule of rules) {
    for (const id of rule.valueSets) {
      if (!terminology.hasValueSet(id)) {
        throw new ContentError(`rule ${rule.code} uses value set "${id}", which is not loaded (no fhir-profiles/ValueSet-${id}.json)`);
      }
    }
  }
}
