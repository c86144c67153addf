import { ICD10, SNOMED, condition, imagingOrder, patient } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** contrast-lactation (Preface-3.1): info for CT contrast while breastfeeding. */
const visit = officeVisit('enc-1', '2026-11-16');
const young = patient({ birthDate: '1992-08-30' });

describe.each(MODES)('contrast-lactation (%s)', (mode) => {
  it('informs on CT chest with contrast for a breastfeeding mother, without suggestion', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '71260')], patient: young, record: [visit, condition('c-lact', SNOMED, '866041003', 'Mother currently breastfeeding', { onsetDateTime: '2026-09-02' })] }, mode);
    const [card, ...rest] = r.cardsFor('contrast-lactation');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'guideline' } } });
    expect(card?.summary).toMatch(/pump and discard for 12-24 hours/);
    expect(card?.detail).toContain('| Breastfeeding on the problem list | Mother currently breastfeeding (866041003) | 2026-09-02 | Condition/c-lact |');
    expect(card?.suggestions).toBeUndefined();
  });

  it('does not fire when lactation is resolved, or for MRI with gadolinium', async () => {
    const ended = condition('c-lact', ICD10, 'Z39.1', 'Lactating mother', { clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'inactive' }] } });
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '71260')], patient: young, record: [visit, ended] }, mode);
    expect(r.cardsFor('contrast-lactation')).toEqual([]);
    const mri = await runScenario({ orders: [imagingOrder('sr-mr', '70553')], patient: young, record: [visit, condition('c-l2', ICD10, 'Z39.1', 'Lactating mother')] }, mode);
    expect(mri.cardsFor('contrast-lactation')).toEqual([]);
  });
});
