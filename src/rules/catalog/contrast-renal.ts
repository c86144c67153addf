import { contrastAgent } from '../facts/order-facts';
import type { Observation, Procedure } from 'fhir/r4';
import type { PatientRecord } from '../../fhir/patient-record';
import type { Terminology } from '../../terminology/types';
import { isCurrentCondition } from '../facts/current';
import { conditionEvidence } from '../facts/record-facts';
import { isoDay, parseFhirDate, withinDays } from '../../fhir/dates';
import { elevation, formatQuantity, latestResult } from '../facts/labs';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface ContrastRenalParameters {
  /** eGFR below this (mL/min/1.73m2) counts as renal failure; Preface-3.1 "GFR <30 mL/min". */
  readonly gfrThreshold: number;
  readonly labLookbackDays: number;
  /** Upper limits used only when a result has neither a reference range nor an interpretation. */
  readonly creatinineDefaultUpperMgDl: number;
  readonly bunDefaultUpperMgDl: number;
}

const labEvidence = (o: Observation, what: string, date: Date, note?: string): Evidence => ({
  ...(o.id !== undefined ? { reference: `Observation/${o.id}` } : {}),
  what,
  value: `${formatQuantity(o.valueQuantity) ?? 'no value'}${note !== undefined ? ` (${note})` : ''}`,
  date: isoDay(date),
});

/** The value sets `renalEvidence` reads. */
const RENAL_VALUE_SETS = ['egfr-observations', 'creatinine-observations', 'bun-observations', 'renal-impairment-conditions', 'dialysis'] as const;

/** The record's evidence of impaired kidney function (computed once per call, shared by every order). */
export function renalEvidence(record: PatientRecord, terminology: Terminology, now: Date, p: ContrastRenalParameters): Evidence[] {
  const evidence: Evidence[] = [];
  const egfr = latestResult(record.observations, 'egfr-observations', terminology, now, p.labLookbackDays);
  const egfrValue = egfr?.observation.valueQuantity?.value;
  if (egfr !== undefined && egfrValue !== undefined && egfrValue < p.gfrThreshold) {
    evidence.push(labEvidence(egfr.observation, `eGFR below ${p.gfrThreshold} (LOINC ${egfr.coding.code ?? '?'})`, egfr.date));
  }
  for (const [analyte, valueSet, label, limit] of [
    ['creatinine', 'creatinine-observations', 'Creatinine', p.creatinineDefaultUpperMgDl],
    ['bun', 'bun-observations', 'BUN', p.bunDefaultUpperMgDl],
  ] as const) {
    const latest = latestResult(record.observations, valueSet, terminology, now, p.labLookbackDays);
    if (latest === undefined) continue;
    const e = elevation(latest.observation, analyte, limit);
    if (e?.elevated === true) {
      const note = e.basis === 'interpretation' ? 'flagged high' : e.basis === 'reference-range' ? 'above reference range' : `above default limit ${limit} mg/dL`;
      evidence.push(labEvidence(latest.observation, `${label} elevated (LOINC ${latest.coding.code ?? '?'})`, latest.date, note));
    }
  }
  for (const c of record.conditions) {
    if (!isCurrentCondition(c)) continue;
    const renal = terminology.matchConcept(c.code, 'renal-impairment-conditions');
    const dialysis = renal === undefined ? terminology.matchConcept(c.code, 'dialysis') : undefined;
    if (renal !== undefined) evidence.push(conditionEvidence(c, renal, 'Kidney disease on the problem list'));
    else if (dialysis !== undefined) evidence.push(conditionEvidence(c, dialysis, 'Dialysis'));
  }
  // Dialysis is also recorded as a procedure; recent ones count (the procedures key is read when available).
  for (const proc of record.procedures as readonly Procedure[]) {
    if (proc.status === 'entered-in-error' || proc.status === 'not-done') continue;
    const coding = terminology.matchConcept(proc.code, 'dialysis');
    const date = parseFhirDate(proc.performedDateTime ?? proc.performedPeriod?.end ?? proc.performedPeriod?.start);
    if (coding === undefined || date === undefined || !withinDays(date, now, p.labLookbackDays)) continue;
    evidence.push({
      ...(proc.id !== undefined ? { reference: `Procedure/${proc.id}` } : {}),
      what: 'Dialysis',
      value: `${coding.display ?? 'dialysis'} (${coding.code ?? '?'})`,
      date: isoDay(date),
    });
  }
  return evidence;
}

const PARAMETER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['gfrThreshold', 'labLookbackDays', 'creatinineDefaultUpperMgDl', 'bunDefaultUpperMgDl'],
  properties: {
    gfrThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 120 },
    labLookbackDays: { type: 'integer', minimum: 1, maximum: 3650 },
    creatinineDefaultUpperMgDl: { type: 'number', exclusiveMinimum: 0, maximum: 20 },
    bunDefaultUpperMgDl: { type: 'number', exclusiveMinimum: 0, maximum: 200 },
  },
} as const;

/**
 * contrast-renal (Preface-3.1, Clinical Information): CT with iodinated contrast or MRI with gadolinium
 * when the record shows GFR < 30, dialysis, CKD 4-5/ESRD, AKI, or elevated creatinine/BUN. Both agents
 * share the same risk profile under GFR 30, so the alternative offered is the same study without contrast,
 * never the other modality.
 */
export const contrastRenal: Rule<ContrastRenalParameters> = {
  code: 'contrast-renal',
  requires: ['renalLabs', 'conditions'],
  optional: ['procedures'],
  valueSets: RENAL_VALUE_SETS,
  variants: ['ct', 'mri'],
  suggestionKeys: ['without-contrast'],
  parameterSchema: PARAMETER_SCHEMA,
  relevant: (order) => contrastAgent(order.study) !== undefined,
  evaluate(ctx, p, targets) {
    const evidence = renalEvidence(ctx.record, ctx.terminology, ctx.now, p);
    if (evidence.length === 0) return [];
    const summary = evidence.map((e) => `${e.what}: ${e.value ?? ''}${e.date !== undefined ? ` on ${e.date}` : ''}`).join('; ');
    return targets.map((order): Finding => {
      const withoutContrast = ctx.terminology.contrastVariant(order.study, 'without');
      return {
        rule: 'contrast-renal',
        variant: contrastAgent(order.study) === 'iodinated' ? 'ct' : 'mri',
        orders: [order],
        evidence,
        vars: { finding: summary },
        suggestions:
          withoutContrast === undefined
            ? []
            : [{ kind: 'replace', wording: 'without-contrast', order, replacement: withoutContrast, recommended: true }],
      };
    });
  },
};
