import type { Address } from 'fhir/r4';
import { orderEvidence, orderedCode, reasonEvidence } from '../facts/order-facts';
import { conditionsIn } from '../facts/record-facts';
import { parseFhirDate } from '../../fhir/dates';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface StateMandateParameters {
  /** Coronary calcium CT codes covered by the Texas mandate (75571). */
  readonly coronaryCalciumCodes: readonly string[];
  /** Patient.address.state values meaning Texas (compared case-insensitively). */
  readonly coronaryCalciumStates: readonly string[];
  /** Supplemental breast imaging: these modalities of the breast region (breast MRI; breast US when catalogued). */
  readonly supplementalBreastModalities: readonly string[];
}

const DENSE_BREAST = 'dense-breast-tissue';

/** An address in use on the order date: not marked old and not ended. */
function current(a: Address, on: Date): boolean {
  if (a.use === 'old') return false;
  const end = parseFhirDate(a.period?.end);
  return end === undefined || end.getTime() >= on.getTime();
}

/**
 * state-mandate (Preface-2.1, Legislative Mandates): "State and federal legislations may need to be
 * considered ... For example: Various State and Federal Breast Density Laws; Texas HB 1290 Coronary Calcium
 * CT Law." Info cards: 75571 for a patient whose current address is in Texas; supplemental breast imaging
 * when dense breast tissue is on the record (current Condition) or is the order's reason.
 */
export const stateMandate: Rule<StateMandateParameters> = {
  code: 'state-mandate',
  requires: ['patient', 'conditions'],
  valueSets: [DENSE_BREAST],
  variants: ['texas-coronary-calcium', 'breast-density'],
  suggestionKeys: [],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['coronaryCalciumCodes', 'coronaryCalciumStates', 'supplementalBreastModalities'],
    properties: {
      coronaryCalciumCodes: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Z]{5}$' } },
      coronaryCalciumStates: { type: 'array', items: { type: 'string', minLength: 2 } },
      supplementalBreastModalities: { type: 'array', items: { enum: ['CT', 'MRI', 'US', 'NM', 'XR', 'other'] } },
    },
  },
  relevant: (order) => order.study.region === 'breast' || order.study.region === 'cardiac',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    const states = new Set(p.coronaryCalciumStates.map((s) => s.toLowerCase()));
    for (const order of targets) {
      if (p.coronaryCalciumCodes.includes(orderedCode(order))) {
        const on = order.date ?? ctx.now;
        const address = (ctx.record.patient?.address ?? []).find((a) => a.state !== undefined && states.has(a.state.trim().toLowerCase()) && current(a, on));
        if (address !== undefined) {
          findings.push({
            rule: 'state-mandate',
            variant: 'texas-coronary-calcium',
            orders: [order],
            evidence: [
              orderEvidence(order, 'Coronary calcium CT'),
              {
                ...(ctx.record.patient?.id !== undefined ? { reference: `Patient/${ctx.record.patient.id}` } : {}),
                what: 'Patient address',
                value: [address.city, address.state].filter((x) => x !== undefined).join(', '),
              },
            ],
            suggestions: [],
          });
        }
      }
      if (order.study.region === 'breast' && p.supplementalBreastModalities.includes(order.study.modality)) {
        const evidence: Evidence[] = conditionsIn(ctx.record, DENSE_BREAST, ctx.terminology, 'Dense breast tissue on the problem list');
        for (const concept of order.resource.reasonCode ?? []) {
          const coding = ctx.terminology.matchConcept(concept, DENSE_BREAST);
          if (coding !== undefined) evidence.push(reasonEvidence(order, coding.code ?? '?', coding.display ?? concept.text ?? 'dense breasts', 'Reason on the order'));
        }
        if (evidence.length > 0) findings.push({ rule: 'state-mandate', variant: 'breast-density', orders: [order], evidence, suggestions: [] });
      }
    }
    return findings;
  },
};
