import type { ServiceRequest } from 'fhir/r4';
import type { Suggestion } from '../cds-hooks/types';
import type { RuleContent } from '../content/types';
import type { SuggestionSpec } from '../rules/engine/types';
import type { StudyDefinition } from '../terminology/types';
import { interpolate } from './interpolate';
import { newCardId } from './card-ids';

/**
 * The draft order with its code replaced by another study, everything else unchanged: CDS Hooks `update`
 * actions carry the whole updated resource, not a diff. The old codings (CPT and any LOINC/SNOMED twin)
 * described the old study, so the new code replaces them all.
 */
export function replaceStudy(order: ServiceRequest, study: StudyDefinition): ServiceRequest {
  // A new top level and a new `code`; every other field is shared with the parsed draft order, which
  // lives only for this call and is never mutated, and the card is serialised as is. A deep copy
  // (structuredClone) was 4% of the service's CPU under load for no observable difference (docs/performance.md).
  return { ...order, code: { ...(order.code ?? {}), coding: [{ system: study.system, code: study.code, display: study.label }], text: study.label } };
}

export function buildSuggestion(spec: SuggestionSpec, content: RuleContent): Suggestion | undefined {
  const wording = content.suggestions[spec.wording];
  if (wording === undefined) return undefined;
  if (spec.kind === 'replace') {
    if (spec.order.resource.id === undefined) return undefined; // an order without id cannot be targeted
    const vars = { order: spec.order.display, replacement: spec.replacement.label, code: spec.replacement.code };
    return {
      label: interpolate(wording.label, vars),
      uuid: newCardId(),
      isRecommended: spec.recommended,
      actions: [
        { type: 'update', description: interpolate(wording.description, vars), resource: replaceStudy(spec.order.resource, spec.replacement) },
        ...(spec.alsoRemove ?? [])
          .filter((o) => o.resource.id !== undefined && o.reference !== spec.order.reference)
          .map((o) => ({ type: 'delete' as const, description: interpolate(wording.description, { ...vars, order: o.display }), resourceId: o.reference })),
      ],
    };
  }
  const targets = spec.orders.filter((o) => o.resource.id !== undefined);
  if (targets.length === 0) return undefined;
  const vars = { order: targets.map((o) => o.display).join(', ') };
  return {
    label: interpolate(wording.label, vars),
    uuid: newCardId(),
    isRecommended: spec.recommended,
    actions: targets.map((o) => ({ type: 'delete' as const, description: interpolate(wording.description, { order: o.display }), resourceId: o.reference })),
  };
}
