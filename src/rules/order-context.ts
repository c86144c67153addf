import type { CodeableConcept, Condition, ServiceRequest } from 'fhir/r4';
import type { PatientRecord } from '../fhir/patient-record';
import type { ImagingOrder } from '../orders/imaging-order';
import { SYSTEM } from '../terminology/systems';
import type { Terminology } from '../terminology/types';
import { isCurrentCondition } from './record/current';
import { isoDay, parseFhirDate } from './record/dates';
import type { Evidence } from './types';

/**
 * What an order says about itself beyond its code, and how the record's conditions are shown as evidence.
 * Shared by the whole-body, coding and benefit rules (Preface-2, 4, 5), which judge combinations of draft
 * orders and their stated reasons rather than lab values.
 */

/** Free text the clinician typed on the order: code text, body site, reason text, notes, patient instruction. */
export function orderText(sr: ServiceRequest): string {
  const concepts: (CodeableConcept | undefined)[] = [sr.code, ...(sr.bodySite ?? []), ...(sr.reasonCode ?? [])];
  const parts = concepts.flatMap((c) => [c?.text, ...(c?.coding ?? []).map((k) => k.display)]);
  parts.push(...(sr.note ?? []).map((n) => n.text), sr.patientInstruction);
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' | ');
}

/** Does any of the configured patterns (case-insensitive regular expressions from rule content) match? */
export function textMatches(text: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => new RegExp(p, 'i').test(text));
}

/**
 * The order's stated reasons as concepts: its reasonCode, and the code of each reasonReference that points
 * at a Condition in the record. A reasonReference the record cannot resolve still counts as *a* reason
 * (`unresolved`), so an order is never taken as "without indication" merely because the reference is opaque.
 */
export function orderReasons(order: ImagingOrder, record: PatientRecord): { concepts: CodeableConcept[]; unresolved: number } {
  const concepts: CodeableConcept[] = [...(order.resource.reasonCode ?? [])];
  let unresolved = 0;
  for (const ref of order.resource.reasonReference ?? []) {
    const id = ref.reference?.startsWith('Condition/') === true ? ref.reference.slice('Condition/'.length) : undefined;
    const c = id === undefined ? undefined : record.conditions.find((x) => x.id === id);
    if (c?.code !== undefined) concepts.push(c.code);
    else unresolved += 1;
  }
  return { concepts, unresolved };
}

/** Current conditions of the record whose code is in the value set, with the matching coding. */
export function conditionsIn(record: PatientRecord, terminology: Terminology, valueSetId: string): { condition: Condition; code: string; display: string }[] {
  const out: { condition: Condition; code: string; display: string }[] = [];
  for (const c of record.conditions) {
    if (!isCurrentCondition(c)) continue;
    const coding = terminology.matchConcept(c.code, valueSetId);
    if (coding === undefined) continue;
    out.push({ condition: c, code: coding.code ?? '?', display: coding.display ?? c.code?.text ?? 'condition' });
  }
  return out;
}

export function conditionEvidence(c: Condition, code: string, display: string, what: string): Evidence {
  const date = parseFhirDate(c.onsetDateTime ?? c.recordedDate);
  return {
    ...(c.id !== undefined ? { reference: `Condition/${c.id}` } : {}),
    what,
    value: `${display} (${code})`,
    ...(date !== undefined ? { date: isoDay(date) } : {}),
  };
}

/** The draft order itself as an evidence row: which order, which code, which date. */
export function orderEvidence(order: ImagingOrder, what = 'Draft order'): Evidence {
  const coded = order.study.orderedAs ?? { system: order.study.system, code: order.study.code };
  const system = coded.system === SYSTEM.hcpcs ? 'HCPCS' : coded.system === SYSTEM.cpt ? 'CPT' : coded.system === SYSTEM.loinc ? 'LOINC' : coded.system === SYSTEM.snomed ? 'SNOMED' : coded.system;
  return {
    ...(order.resource.id !== undefined ? { reference: order.reference } : {}),
    what: `${what}: ${order.display}`,
    value: `${system} ${coded.code}`,
    ...(order.date !== undefined ? { date: isoDay(order.date) } : {}),
  };
}

/** A reason code of the order as an evidence row. */
export function reasonEvidence(order: ImagingOrder, code: string, display: string, what: string): Evidence {
  return {
    ...(order.resource.id !== undefined ? { reference: order.reference } : {}),
    what,
    value: `${display} (${code})`,
    ...(order.date !== undefined ? { date: isoDay(order.date) } : {}),
  };
}

/** Advice is given when at least one order of a multi-order finding is a target (order-select selections). */
export const anyTarget = (orders: readonly ImagingOrder[]): boolean => orders.some((o) => o.isTarget);

/** The order's code as the clinician sent it (the HCPCS code for an HCPCS twin). */
export const orderedCode = (order: ImagingOrder): string => order.study.orderedAs?.code ?? order.study.code;
