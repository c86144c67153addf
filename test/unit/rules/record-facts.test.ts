import type { FhirResource } from 'fhir/r4';
import type { DataKey } from '../../../src/fhir/data-keys';
import { assembleRecord } from '../../../src/fhir/patient-record';
import type { ImagingOrder } from '../../../src/orders/imaging-order';
import { projectRoot } from '../../../src/project-root';
import { createRuleContext } from '../../../src/rules/engine/context';
import { isoDay, parseFhirDate } from '../../../src/fhir/dates';
import { ageOnOrder, allergiesIn, hasIndication, orderReasons, pregnancyEvidence } from '../../../src/rules/facts/record-facts';
import { allPriorImaging, withinWindow } from '../../../src/rules/facts/prior-imaging';
import { loadTerminology } from '../../../src/terminology/load-terminology';
import { ICD10, SNOMED, allergy, condition, imagingOrder, patient } from '../../support/fhir-builders';
import { hcgTest, imagingProcedure, imagingStudy, pregnancyStatus, priorOrder } from '../../support/clinical-builders';

const terminology = loadTerminology(projectRoot());
const NOW = new Date('2026-11-23T12:00:00Z');
const ALL: DataKey[] = ['patient', 'conditions', 'allergies', 'pregnancyObservations', 'imagingStudies', 'procedures', 'serviceRequests'];

function record(resources: FhirResource[]) {
  const by = (type: string) => resources.filter((r) => r.resourceType === type);
  return assembleRecord(
    {
      patient: by('Patient'),
      conditions: by('Condition'),
      allergies: by('AllergyIntolerance'),
      pregnancyObservations: by('Observation'),
      imagingStudies: by('ImagingStudy'),
      procedures: by('Procedure'),
      serviceRequests: by('ServiceRequest'),
    },
    new Set(ALL),
  );
}

function order(id: string, cpt: string, over = {}): ImagingOrder {
  const resource = imagingOrder(id, cpt, over);
  const study = terminology.lookupOrder(resource.code?.coding);
  if (study === undefined) throw new Error(cpt);
  return { reference: `ServiceRequest/${id}`, resource, study, display: study.label, isTarget: true, date: new Date('2026-11-23T10:00:00Z') };
}

describe('allergiesIn', () => {
  it('reads AllergyIntolerance and the status-condition form, ignoring refuted and inactive entries', () => {
    const rec = record([
      allergy('a-1', SNOMED, '293637006', 'Allergy to contrast media'),
      allergy('a-ref', SNOMED, '293637006', 'Allergy to contrast media', { verificationStatus: { coding: [{ code: 'refuted' }] } }),
      allergy('a-inact', SNOMED, '293637006', 'Allergy to contrast media', { clinicalStatus: { coding: [{ code: 'inactive' }] } }),
      condition('c-1', ICD10, 'Z91.041', 'Radiographic dye allergy status'),
    ]);
    expect(allergiesIn(rec, 'iodinated-contrast-allergy', terminology, 'x').map((e) => e.reference)).toEqual(['AllergyIntolerance/a-1', 'Condition/c-1']);
  });
});

describe('pregnancyEvidence', () => {
  it('uses the latest of status and hCG results: a newer negative hCG supersedes an older positive status', () => {
    expect(pregnancyEvidence(record([pregnancyStatus('o-1', true, '2026-11-01'), hcgTest('o-2', false, '2026-11-20')]), terminology, NOW, 42)).toEqual([]);
    expect(pregnancyEvidence(record([pregnancyStatus('o-1', false, '2026-11-01'), hcgTest('o-2', true, '2026-11-20')]), terminology, NOW, 42).map((e) => e.reference)).toEqual(['Observation/o-2']);
  });

  it('ignores results older than the look-back', () => {
    expect(pregnancyEvidence(record([pregnancyStatus('o-1', true, '2026-06-01')]), terminology, NOW, 42)).toEqual([]);
  });
});

describe('ageOnOrder', () => {
  it('computes whole years on the order date, not today', () => {
    expect(ageOnOrder(patient({ birthDate: '2007-11-24' }), order('sr', '70551'), NOW)?.age).toBe(18);
    expect(ageOnOrder(patient({ birthDate: '2007-11-23' }), order('sr', '70551'), NOW)?.age).toBe(19);
    expect(ageOnOrder(patient({ birthDate: undefined }), order('sr', '70551'), NOW)).toBeUndefined();
  });
});

describe('orderReasons and hasIndication', () => {
  it('resolves reasonReference to the Condition in the record', () => {
    const rec = record([condition('c-ha', ICD10, 'R51.9', 'Headache')]);
    const o = order('sr', '70551', { reasonReference: [{ reference: 'Condition/c-ha' }] });
    expect(orderReasons(o, rec).map((r) => r.concept.coding?.[0]?.code)).toEqual(['M54.50', 'R51.9']);
    expect(hasIndication(o)).toBe(true);
    const bare = order('sr', '70551');
    const { reasonCode: _none, ...resource } = bare.resource;
    expect(hasIndication({ ...bare, resource })).toBe(false);
  });
});

describe('prior imaging', () => {
  it('reads ImagingStudy, completed Procedure and active/completed ServiceRequest inside the look-back, newest first, never the draft itself; an open order scheduled ahead counts from when it was placed', () => {
    const rec = record([
      imagingStudy('is-1', '72148', '2026-10-01'),
      imagingStudy('is-cancelled', '72148', '2026-11-01', { status: 'cancelled' }),
      imagingProcedure('pr-1', '72100', '2026-11-10'),
      imagingProcedure('pr-planned', '72100', '2026-11-12', { status: 'preparation' }),
      priorOrder('sr-open', '72148', '2026-11-15', 'active'),
      priorOrder('sr-draft', '72148', '2026-11-23', 'active'),
      imagingStudy('is-old', '72148', '2025-01-01'),
      imagingStudy('is-unknown', '99999', '2026-11-01'),
      priorOrder('sr-scheduled', '72141', '2026-11-20', 'active', { occurrenceDateTime: '2026-12-15T08:00:00Z' }),
    ]);
    const drafts = [order('sr-draft', '72148')];
    const prior = withinWindow(allPriorImaging(rec, terminology, drafts), NOW, 90);
    expect(prior.map((p) => [p.reference, p.state])).toEqual([
      ['ServiceRequest/sr-scheduled', 'ordered'],
      ['ServiceRequest/sr-open', 'ordered'],
      ['Procedure/pr-1', 'done'],
      ['ImagingStudy/is-1', 'done'],
    ]);
    // Through a call's rule context: the same answer for every window, the record read once for all.
    const ctx = createRuleContext({ orders: drafts, targets: drafts, record: rec, terminology, now: NOW });
    expect(ctx.priorImaging(NOW, 90)).toEqual(prior);
    expect(ctx.priorImaging(NOW, 10).map((p) => p.reference)).toEqual(['ServiceRequest/sr-scheduled', 'ServiceRequest/sr-open']);
    expect(ctx.priorImaging(NOW, 1000).map((p) => p.reference)).toContain('ImagingStudy/is-old');
    expect(ctx.priorImaging(NOW, 90)[0]).toBe(ctx.priorImaging(NOW, 30)[0]);
  });
});

describe('dates on cards', () => {
  it('formats the UTC day of any instant, the same on every call, and still refuses an invalid date', () => {
    expect(isoDay(new Date('2026-11-23T23:59:59.999Z'))).toBe('2026-11-23');
    expect(isoDay(new Date('2026-11-23T00:00:00.000Z'))).toBe('2026-11-23');
    expect(isoDay(new Date('2026-11-24T00:30:00+02:00'))).toBe('2026-11-23');
    expect(isoDay(new Date('1969-12-31T23:00:00Z'))).toBe('1969-12-31');
    expect(isoDay(parseFhirDate('2024') ?? new Date(Number.NaN))).toBe('2024-01-01');
    expect(() => isoDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});
