import { CPT, imagingOrder } from '../support/fhir-builders';
import { evidenceRows, overrideCodes, updatedCode } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const mriUnlisted = () => imagingOrder('sr-mr', '76498', { code: { coding: [{ system: CPT, code: '76498' }], text: 'PET-MRI, MR part' } });

describe.each(MODES)('pet-mri (%s)', (mode) => {
  it('warns on PET-MRI (78813 + 76498) with the exceptions of Preface-5.3 as override reasons (condition criteria; PET-CT criteria, PET-CT unavailable, in lieu)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-pet', '78813'), mriUnlisted()], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('pet-mri');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'coverage-info' } } });
    expect(card?.extension['imaging-cds']).toMatchObject({ section: 'Preface-5.3', orders: ['ServiceRequest/sr-pet', 'ServiceRequest/sr-mr'] });
    expect(evidenceRows(card).map((e) => [e.value, e.record])).toEqual([
      ['CPT 78813', 'ServiceRequest/sr-pet'],
      ['CPT 76498', 'ServiceRequest/sr-mr'],
    ]);
    expect(overrideCodes(card)).toEqual(['pet-mri-condition-criteria', 'pet-ct-criteria-met', 'pet-ct-unavailable', 'pet-mri-in-lieu']);
    expect(card?.suggestions).toBeUndefined();
  });

  it('flags another PET code with 76498 as a coding error and suggests 78813', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-pet', '78812'), mriUnlisted()], record: [] }, mode);
    const card = r.cardsFor('pet-mri')[0];
    expect(card?.summary).toContain('78813 + 76498');
    expect(updatedCode(card)).toBe('78813');
  });

  it('stays silent on PET alone, and on 76498 with no PET code', async () => {
    const pet = await runScenario({ orders: [imagingOrder('sr-pet', '78813')], record: [] }, mode);
    expect(pet.cardsFor('pet-mri')).toEqual([]);
    const mr = await runScenario({ orders: [mriUnlisted()], record: [] }, mode);
    expect(mr.cardsFor('pet-mri')).toEqual([]);
  });
});
