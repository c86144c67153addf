import type { ServiceRequest } from 'fhir/r4';
import { ICD10, SNOMED, allergy, condition, imagingOrder } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** contrast-allergy (Preface-3.1): the allergy must match the agent of the ordered study. */
const visit = officeVisit('enc-1', '2026-11-16');

describe.each(MODES)('contrast-allergy (%s)', (mode) => {
  it('warns on CT chest with contrast for an active iodinated contrast allergy and suggests CT chest without contrast', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '71260')], record: [visit, allergy('al-1', SNOMED, '293637006', 'Allergy to contrast media', { recordedDate: '2019-05-02', criticality: 'high' })] }, mode);
    const [card, ...rest] = r.cardsFor('contrast-allergy');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'contraindication' } }, extension: { 'imaging-cds': { orders: ['ServiceRequest/sr-ct'] } } });
    expect(card?.detail).toContain('| Iodinated contrast allergy | Allergy to contrast media (293637006); criticality high | 2019-05-02 | AllergyIntolerance/al-1 |');
    const replaced = card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest;
    expect(replaced.code?.coding?.[0]?.code).toBe('71250');
    expect(replaced.reasonCode).toEqual(imagingOrder('x', '71260').reasonCode);
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['premedication-planned', 'need-outweighs-risk']);
    expect(card?.overrideReasons?.[0]?.system).toBe('http://imaging-cds.org/fhir/CodeSystem/override-reason');
  });

  it('reads the allergy recorded as a status condition (ICD-10-CM Z91.041)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], record: [visit, condition('c-dye', ICD10, 'Z91.041', 'Radiographic dye allergy status')] }, mode);
    expect(r.cardsFor('contrast-allergy')[0]?.detail).toContain('Condition/c-dye');
  });

  it('warns on MRI brain with gadolinium for a gadolinium allergy and suggests MRI without contrast', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '70553')], record: [visit, allergy('al-gd', SNOMED, '768763008', 'Gadolinium')] }, mode);
    const card = r.cardsFor('contrast-allergy')[0];
    expect(card?.summary).toMatch(/gadolinium/);
    expect((card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('70551');
  });

  it('does not fire on a refuted allergy, on an agent mismatch, or on a non-contrast study', async () => {
    const refuted = allergy('al-ref', SNOMED, '293637006', 'Allergy to contrast media', { verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'refuted' }] } });
    const r1 = await runScenario({ orders: [imagingOrder('sr-ct', '71260')], record: [visit, refuted] }, mode);
    expect(r1.cardsFor('contrast-allergy')).toEqual([]);
    const r2 = await runScenario({ orders: [imagingOrder('sr-mr', '70553')], record: [visit, allergy('al-io', SNOMED, '293637006', 'Allergy to contrast media')] }, mode);
    expect(r2.cardsFor('contrast-allergy')).toEqual([]);
    const r3 = await runScenario({ orders: [imagingOrder('sr-ct', '71250')], record: [visit, allergy('al-io', SNOMED, '293637006', 'Allergy to contrast media')] }, mode);
    expect(r3.cardsFor('contrast-allergy')).toEqual([]);
  });
});
