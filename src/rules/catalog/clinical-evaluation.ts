import type { Encounter } from 'fhir/r4';
import type { Terminology } from '../../terminology/types';
import { isoDay, parseFhirDate, withinDays } from '../../fhir/dates';
import type { Finding, Rule } from '../engine/types';

export interface ClinicalEvaluationParameters {
  /** "recent" evaluation (Preface-3.1), left open by the text. */
  readonly lookbackDays: number;
}

const COUNTING_STATUSES = new Set(['arrived', 'triaged', 'in-progress', 'onleave', 'finished']);

/** An office, telehealth, telephone or messaging encounter (clinical-evaluation-encounters), by type or class. */
function isEvaluation(e: Encounter, terminology: Terminology): boolean {
  if (!COUNTING_STATUSES.has(e.status)) return false;
  return (e.type ?? []).some((t) => terminology.matchConcept(t, 'clinical-evaluation-encounters') !== undefined) || terminology.inValueSet(e.class, 'clinical-evaluation-encounters');
}

/**
 * clinical-evaluation (Preface-3.1, Clinical Information): "Advanced imaging ... should not be ordered
 * prior to clinical evaluation of an individual by the physician treating the individual" and "Other
 * meaningful technological contact (telehealth visit, telephone or video call, electronic mail or
 * messaging) ... can serve as a pertinent clinical evaluation." The encounter of the hook call
 * (context.encounterId) is a current evaluation. "A recent clinical evaluation may be unnecessary if the
 * individual is undergoing a guideline-supported, scheduled follow-up imaging": an override reason.
 */
export const clinicalEvaluation: Rule<ClinicalEvaluationParameters> = {
  code: 'clinical-evaluation',
  requires: ['encounters'],
  valueSets: ['clinical-evaluation-encounters'],
  variants: ['default'],
  suggestionKeys: [],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['lookbackDays'],
    properties: { lookbackDays: { type: 'integer', minimum: 1, maximum: 730 } },
  },
  relevant: (order) => order.study.modality !== 'XR' && order.study.modality !== 'US' && order.study.modality !== 'other',
  evaluate(ctx, p, targets) {
    if (ctx.encounterId !== undefined) return [];
    const findings: Finding[] = [];
    for (const order of targets) {
      const on = order.date ?? ctx.now;
      const recent = ctx.record.encounters.some((e) => {
        const date = parseFhirDate(e.period?.end ?? e.period?.start);
        return date !== undefined && withinDays(date, on, p.lookbackDays) && isEvaluation(e, ctx.terminology);
      });
      if (recent) continue;
      findings.push({
        rule: 'clinical-evaluation',
        variant: 'default',
        orders: [order],
        evidence: [{ what: `Office, telehealth, telephone or messaging encounter in the ${p.lookbackDays} days before ${isoDay(on)}`, value: 'none in the record' }],
        vars: { days: String(p.lookbackDays) },
        suggestions: [],
      });
    }
    return findings;
  },
};
