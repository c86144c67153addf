import type { ServiceRequest } from 'fhir/r4';
import { ICD10, condition, imagingOrder, patient } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** contrast-risk-factors (Preface-3.1): I-131-treatable thyroid disease, diabetes, very elderly (80+). */
const visit = officeVisit('enc-1', '2026-11-16');

describe.each(MODES)('contrast-risk-factors (%s)', (mode) => {
  it('informs on CT abdomen/pelvis with contrast for a diabetic 85-year-old, offering CT without contrast as an option', async () => {
    const r = await runScenario(
      { orders: [imagingOrder('sr-ct', '74177')], patient: patient({ birthDate: '1941-06-10' }), record: [visit, condition('c-dm', ICD10, 'E11.9', 'Type 2 diabetes mellitus without complications', { onsetDateTime: '2010-02-01' })] },
      mode,
    );
    const [card, ...rest] = r.cardsFor('contrast-risk-factors');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'therapy-alternatives-opt' } } });
    expect(card?.detail).toContain('| Diabetes | Type 2 diabetes mellitus without complications (E11.9) | 2010-02-01 | Condition/c-dm |');
    expect(card?.detail).toContain('| Very elderly (80 or older) on the order date | 85 years (born 1941-06-10) | 2026-11-23 | Patient/pat-1 |');
    const s = card?.suggestions?.[0];
    expect(s?.isRecommended).toBe(false);
    expect((s?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('74176');
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['clinically-required']);
  });

  it('fires for Graves disease (thyroid disease treatable with I-131)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '70491')], record: [visit, condition('c-gr', ICD10, 'E05.00', 'Thyrotoxicosis with diffuse goiter')] }, mode);
    expect(r.cardsFor('contrast-risk-factors')[0]?.detail).toContain('Condition/c-gr');
  });

  it('does not fire at 79, for resolved gestational diabetes, or for MRI with gadolinium', async () => {
    const young = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], patient: patient({ birthDate: '1946-11-24' }), record: [visit] }, mode);
    expect(young.cardsFor('contrast-risk-factors')).toEqual([]);
    const resolved = condition('c-gdm', ICD10, 'O24.419', 'Gestational diabetes', { clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] } });
    const r2 = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], record: [visit, resolved] }, mode);
    expect(r2.cardsFor('contrast-risk-factors')).toEqual([]);
    const mri = await runScenario({ orders: [imagingOrder('sr-mr', '74183')], record: [visit, condition('c-dm', ICD10, 'E11.9', 'Type 2 diabetes')] }, mode);
    expect(mri.cardsFor('contrast-risk-factors')).toEqual([]);
  });
});
