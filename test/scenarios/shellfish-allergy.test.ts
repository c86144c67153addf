import { ICD10, SNOMED, allergy, condition, imagingOrder } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** shellfish-allergy (Preface-3.1): info only, no change; silent when a real contrast allergy exists. */
const visit = officeVisit('enc-1', '2026-11-16');

describe.each(MODES)('shellfish-allergy (%s)', (mode) => {
  it('informs on CT with contrast for a shellfish allergy, with no suggestion and no other card', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], record: [visit, allergy('al-sf', SNOMED, '300913006', 'Allergy to shellfish', { recordedDate: '2015-07-01' })] }, mode);
    const [card, ...rest] = r.cardsFor('shellfish-allergy');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'guideline' } } });
    expect(card?.detail).toContain('| Shellfish allergy | Allergy to shellfish (300913006) | 2015-07-01 | AllergyIntolerance/al-sf |');
    expect(card?.suggestions).toBeUndefined();
    expect(r.response.cards.filter((c) => c.indicator !== 'info')).toEqual([]);
  });

  it('reads a seafood allergy status condition (Z91.013)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '71260')], record: [visit, condition('c-sf', ICD10, 'Z91.013', 'Allergy to seafood')] }, mode);
    expect(r.cardsFor('shellfish-allergy')[0]?.detail).toContain('Condition/c-sf');
  });

  it('stays silent when an iodinated contrast allergy is also recorded, for MRI, and for CT without contrast', async () => {
    const sf = allergy('al-sf', SNOMED, '300913006', 'Allergy to shellfish');
    const both = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], record: [visit, sf, allergy('al-io', SNOMED, '293637006', 'Allergy to contrast media')] }, mode);
    expect(both.cardsFor('shellfish-allergy')).toEqual([]);
    expect(both.cardsFor('contrast-allergy')).toHaveLength(1);
    const mri = await runScenario({ orders: [imagingOrder('sr-mr', '70553')], record: [visit, sf] }, mode);
    expect(mri.cardsFor('shellfish-allergy')).toEqual([]);
    const plain = await runScenario({ orders: [imagingOrder('sr-ct', '74176')], record: [visit, sf] }, mode);
    expect(plain.cardsFor('shellfish-allergy')).toEqual([]);
  });
});
