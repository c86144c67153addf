import type { AllergyIntolerance, CodeableConcept, Coding, Condition, Observation, Patient } from 'fhir/r4';
import type { PatientRecord } from '../../fhir/patient-record';
import type { ImagingOrder } from '../../orders/imaging-order';
import type { Terminology, ValueSetId } from '../../terminology/types';
import type { Evidence } from '../facts/evidence';
import { isCurrentAllergy, isCurrentCondition } from './current';
import { ageInYears, isoDay, parseFhirDate } from '../../fhir/dates';
import { latestResult } from './labs';

/**
 * Facts read from the record the same way by every rule (docs/rules.md, Reading the record): current entries
 * only, the same fact accepted in each form it is recorded in, and evidence naming resource, code, date.
 */

const codeText = (coding: Coding, concept: CodeableConcept | undefined): string =>
  `${coding.display ?? concept?.text ?? 'coded entry'} (${coding.code ?? '?'})`;

export function conditionEvidence(c: Condition, coding: Coding, what: string): Evidence {
  const date = parseFhirDate(c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate);
  return {
    ...(c.id !== undefined ? { reference: `Condition/${c.id}` } : {}),
    what,
    value: codeText(coding, c.code),
    ...(date !== undefined ? { date: isoDay(date) } : {}),
  };
}

/** Current Conditions whose code is in the value set, as evidence. */
export function conditionsIn(record: PatientRecord, valueSet: ValueSetId, terminology: Terminology, what: string): Evidence[] {
  const out: Evidence[] = [];
  for (const c of record.conditions) {
    if (!isCurrentCondition(c)) continue;
    const coding = terminology.matchConcept(c.code, valueSet);
    if (coding !== undefined) out.push(conditionEvidence(c, coding, what));
  }
  return out;
}

function allergyEvidence(a: AllergyIntolerance, coding: Coding, what: string): Evidence {
  const date = parseFhirDate(a.recordedDate ?? a.onsetDateTime);
  const criticality = a.criticality !== undefined ? `; criticality ${a.criticality}` : '';
  return {
    ...(a.id !== undefined ? { reference: `AllergyIntolerance/${a.id}` } : {}),
    what,
    value: `${codeText(coding, a.code)}${criticality}`,
    ...(date !== undefined ? { date: isoDay(date) } : {}),
  };
}

/**
 * An allergy recorded as an active AllergyIntolerance or as a status Condition (e.g. ICD-10-CM Z91.041
 * "allergy status to radiographic dye"): docs/rules.md accepts both forms. Refuted/entered-in-error ignored.
 */
export function allergiesIn(record: PatientRecord, valueSet: ValueSetId, terminology: Terminology, what: string): Evidence[] {
  const out: Evidence[] = [];
  for (const a of record.allergies) {
    if (!isCurrentAllergy(a)) continue;
    const coding = terminology.matchConcept(a.code, valueSet);
    if (coding !== undefined) out.push(allergyEvidence(a, coding, what));
  }
  return [...out, ...conditionsIn(record, valueSet, terminology, `${what} (status on the problem list)`)];
}

/** The value sets `pregnancyEvidence` reads: a rule that uses it declares these. */
export const PREGNANCY_VALUE_SETS = ['pregnancy-conditions', 'pregnancy-status-observations', 'hcg-tests', 'pregnancy-positive-answers'] as const;

/** The value set `lactationEvidence` reads (conditions, observation codes and answers alike). */
export const LACTATION_VALUE_SETS = ['lactation'] as const;

/** Is the coded answer or interpretation of a result positive (pregnancy-positive-answers, or flagged POS)? */
function isPositive(o: Observation, terminology: Terminology): boolean {
  if (terminology.matchConcept(o.valueCodeableConcept, 'pregnancy-positive-answers') !== undefined) return true;
  const flags = (o.interpretation ?? []).flatMap((cc) => (cc.coding ?? []).map((c) => c.code ?? ''));
  return flags.includes('POS') || flags.includes('DET');
}

function observationEvidence(o: Observation, coding: Coding, what: string, date: Date): Evidence {
  const answer = o.valueCodeableConcept?.coding?.[0];
  const value =
    answer !== undefined
      ? `${answer.display ?? o.valueCodeableConcept?.text ?? answer.code ?? ''} (${answer.code ?? '?'})`
      : o.valueQuantity?.value !== undefined
        ? `${o.valueQuantity.value} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`.trim()
        : (o.valueString ?? 'positive');
  return { ...(o.id !== undefined ? { reference: `Observation/${o.id}` } : {}), what: `${what} (LOINC ${coding.code ?? '?'})`, value, date: isoDay(date) };
}

/**
 * Evidence of a current pregnancy: an active pregnancy Condition, or the latest pregnancy-status
 * Observation / hCG test inside the look-back being positive. Latest result wins: a newer negative test
 * supersedes an older positive one. Pregnancy is never presumed without evidence (docs/rules.md).
 */
export function pregnancyEvidence(record: PatientRecord, terminology: Terminology, now: Date, lookbackDays: number): Evidence[] {
  const out = conditionsIn(record, 'pregnancy-conditions', terminology, 'Pregnancy on the problem list');
  const latest = [latestResult(record.observations, 'pregnancy-status-observations', terminology, now, lookbackDays), latestResult(record.observations, 'hcg-tests', terminology, now, lookbackDays)]
    .filter((r): r is NonNullable<typeof r> => r !== undefined)
    .sort((a, b) => b.date.getTime() - a.date.getTime())[0];
  if (latest !== undefined && isPositive(latest.observation, terminology)) {
    out.push(observationEvidence(latest.observation, latest.coding, 'Positive pregnancy status or test', latest.date));
  }
  return out;
}

/** Lactation recorded as a Condition (Z39.1 ...) or as a breastfeeding Observation with a result. */
export function lactationEvidence(record: PatientRecord, terminology: Terminology, now: Date, lookbackDays: number): Evidence[] {
  const out = conditionsIn(record, 'lactation', terminology, 'Breastfeeding on the problem list');
  const latest = latestResult(record.observations, 'lactation', terminology, now, lookbackDays);
  // A breastfeeding-status Observation counts only when its answer says breastfeeding (a lactation code).
  if (latest !== undefined && terminology.matchConcept(latest.observation.valueCodeableConcept, 'lactation') !== undefined) {
    out.push(observationEvidence(latest.observation, latest.coding, 'Breastfeeding status', latest.date));
  }
  return out;
}

export interface AgeOnOrder {
  readonly age: number;
  readonly evidence: Evidence;
}

/** Age in whole years on the order's date (or now): docs/rules.md "age is computed on the order's date". */
export function ageOnOrder(patient: Patient | undefined, order: ImagingOrder, now: Date): AgeOnOrder | undefined {
  const birth = parseFhirDate(patient?.birthDate);
  if (birth === undefined) return undefined;
  const on = order.date ?? now;
  const age = ageInYears(birth, on);
  return {
    age,
    evidence: {
      ...(patient?.id !== undefined ? { reference: `Patient/${patient.id}` } : {}),
      what: `Age on the order date (${isoDay(on)})`,
      value: `${age} years (born ${patient?.birthDate ?? '?'})`,
      date: isoDay(on),
    },
  };
}

/**
 * The indications of an order: its reasonCode concepts, plus the codes of Conditions it references by
 * reasonReference when the record holds them (EHRs send either form).
 */
export function orderReasons(order: ImagingOrder, record: PatientRecord): { concept: CodeableConcept; condition?: Condition }[] {
  const out: { concept: CodeableConcept; condition?: Condition }[] = (order.resource.reasonCode ?? []).map((concept) => ({ concept }));
  for (const ref of order.resource.reasonReference ?? []) {
    const id = ref.reference?.startsWith('Condition/') === true ? ref.reference.slice('Condition/'.length) : undefined;
    const condition = id === undefined ? undefined : record.conditions.find((c) => c.id === id);
    if (condition?.code !== undefined) out.push({ concept: condition.code, condition });
  }
  return out;
}

/** Does the order state any indication at all (reasonCode or reasonReference)? */
export const hasIndication = (order: ImagingOrder): boolean =>
  (order.resource.reasonCode ?? []).some((c) => (c.coding ?? []).length > 0 || (c.text ?? '').trim().length > 0) ||
  (order.resource.reasonReference ?? []).some((r) => r.reference !== undefined || r.display !== undefined);
