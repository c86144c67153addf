import type { Coding, Observation, Quantity } from 'fhir/r4';
import type { Terminology, ValueSetId } from '../../terminology/types';
import { parseFhirDate, withinDays } from '../../fhir/dates';

/** Observation statuses that carry a result (registered/cancelled/entered-in-error do not). */
const RESULT_STATUSES = new Set(['final', 'amended', 'corrected', 'preliminary']);

export function observationDate(o: Observation): Date | undefined {
  return (
    parseFhirDate(o.effectiveDateTime) ??
    parseFhirDate(o.effectiveInstant) ??
    parseFhirDate(o.effectivePeriod?.end) ??
    parseFhirDate(o.effectivePeriod?.start) ??
    parseFhirDate(o.issued)
  );
}

export interface DatedObservation {
  readonly observation: Observation;
  readonly date: Date;
  readonly coding: Coding;
}

/**
 * The most recent result of a value set inside the look-back: "latest result wins", so an old abnormal
 * value superseded by a newer normal one does not count (docs/rules.md, Reading the record).
 */
export function latestResult(
  observations: readonly Observation[],
  valueSet: ValueSetId,
  terminology: Terminology,
  now: Date,
  lookbackDays: number,
): DatedObservation | undefined {
  let best: DatedObservation | undefined;
  for (const o of observations) {
    if (!RESULT_STATUSES.has(o.status)) continue;
    const coding = terminology.matchConcept(o.code, valueSet);
    if (coding === undefined) continue;
    const date = observationDate(o);
    if (date === undefined || !withinDays(date, now, lookbackDays)) continue;
    if (best === undefined || date.getTime() > best.date.getTime()) best = { observation: o, date, coding };
  }
  return best;
}

/** Unit conversion factors to mg/dL (creatinine, 113.12 g/mol: 1 mg/dL = 88.4 umol/L; urea nitrogen, 2 x 14.007 g/mol: 1 mmol/L = 2.801 mg/dL). */
const TO_MG_DL: Readonly<Record<'creatinine' | 'bun', Readonly<Record<string, number>>>> = {
  creatinine: { 'mg/dl': 1, 'umol/l': 1 / 88.4, 'µmol/l': 1 / 88.4, 'μmol/l': 1 / 88.4, 'mmol/l': 1000 / 88.4 },
  bun: { 'mg/dl': 1, 'mmol/l': 2.801 },
};

const unitOf = (q: Quantity | undefined): string | undefined => (q?.code ?? q?.unit)?.trim().toLowerCase();

/** A quantity in mg/dL, or undefined when its unit is missing or unknown (units are read, never assumed). */
export function inMgDl(q: Quantity | undefined, analyte: 'creatinine' | 'bun'): number | undefined {
  if (q?.value === undefined) return undefined;
  const unit = unitOf(q);
  const factor = unit === undefined ? undefined : TO_MG_DL[analyte][unit];
  return factor === undefined ? undefined : q.value * factor;
}

const HIGH_FLAGS = new Set(['H', 'HH', 'HU', '>']);
const NOT_HIGH_FLAGS = new Set(['N', 'L', 'LL', 'LU', '<', 'A', 'AA']);

export type Elevation = { readonly elevated: boolean; readonly basis: 'interpretation' | 'reference-range' | 'default-limit' };

/**
 * "Elevated" means above the result's own reference range or flagged high by its interpretation; only
 * when neither is given does the configured default apply (docs/rules.md, Reading the record).
 */
export function elevation(o: Observation, analyte: 'creatinine' | 'bun', defaultUpperMgDl: number): Elevation | undefined {
  const value = inMgDl(o.valueQuantity, analyte);
  const flags = (o.interpretation ?? []).flatMap((cc) => (cc.coding ?? []).map((c) => c.code ?? ''));
  const highFlag = flags.some((f) => HIGH_FLAGS.has(f));
  const range = o.referenceRange?.find((r) => r.high !== undefined);
  const high = range === undefined ? undefined : inMgDl(range.high, analyte);
  if (highFlag) return { elevated: true, basis: 'interpretation' };
  if (value === undefined) return undefined;
  if (high !== undefined) return { elevated: value > high, basis: 'reference-range' };
  if (flags.some((f) => NOT_HIGH_FLAGS.has(f))) return { elevated: false, basis: 'interpretation' };
  return { elevated: value > defaultUpperMgDl, basis: 'default-limit' };
}

/** "24 mL/min/1.73m2" — the value as the lab reported it, with its unit. */
export function formatQuantity(q: Quantity | undefined): string | undefined {
  if (q?.value === undefined) return undefined;
  const unit = q.unit ?? q.code;
  return unit === undefined ? String(q.value) : `${q.value} ${unit.replace('{1.73_m2}', '1.73m2')}`;
}
