import { isoDay } from '../../fhir/dates';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface ResearchImagingParameters {
  /** Extensions that tie a ServiceRequest to a ResearchStudy (R4 has no researchStudy element). */
  readonly researchStudyExtensionUrls: readonly string[];
}

/**
 * research-imaging (Preface-2.1, Clinical and Research Trials): "Imaging studies which are inconsistent
 * with established clinical standards, or are requested for data collection and not used in direct clinical
 * management are not supported." An order tied to a research study (the workflow researchStudy extension,
 * or a reason in research-study-indications such as Z00.6) gets a warning; its use in direct management is
 * the override reason. Orders without such a link are never presumed to be research.
 */
export const researchImaging: Rule<ResearchImagingParameters> = {
  code: 'research-imaging',
  requires: [],
  valueSets: ['research-study-indications'],
  variants: ['research'],
  suggestionKeys: [],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['researchStudyExtensionUrls'],
    properties: { researchStudyExtensionUrls: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^https?://' } } },
  },
  relevant: () => true,
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const date = order.date !== undefined ? { date: isoDay(order.date) } : {};
      const evidence: Evidence[] = [];
      for (const ext of order.resource.extension ?? []) {
        if (!p.researchStudyExtensionUrls.includes(ext.url)) continue;
        const ref = ext.valueReference;
        evidence.push({ reference: order.reference, what: 'Order linked to a research study', value: [ref?.display, ref?.reference].filter((x) => x !== undefined).join(' ') || 'research study', ...date });
      }
      for (const concept of order.resource.reasonCode ?? []) {
        const coding = ctx.terminology.matchConcept(concept, 'research-study-indications');
        if (coding !== undefined) evidence.push({ reference: order.reference, what: 'Research reason on the order', value: `${coding.display ?? concept.text ?? 'research'} (${coding.code ?? '?'})`, ...date });
      }
      if (evidence.length > 0) findings.push({ rule: 'research-imaging', variant: 'research', orders: [order], evidence, suggestions: [] });
    }
    return findings;
  },
};
