import { imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, overrideCodes, updatedCode } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

describe.each(MODES)('pet-ct-unbundling (%s)', (mode) => {
  it('warns on PET skull base to mid-thigh (78812) with a diagnostic chest CT: one PET/CT 78815 replaces both', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-pet', '78812'), imagingOrder('sr-ct', '71260')], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('pet-ct-unbundling');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'claim' } } });
    expect(evidenceRows(card).map((e) => [e.value, e.record])).toEqual([
      ['CPT 78812', 'ServiceRequest/sr-pet'],
      ['CPT 71260', 'ServiceRequest/sr-ct'],
    ]);
    expect(updatedCode(card)).toBe('78815');
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-ct']);
    expect(overrideCodes(card)).toEqual(['clinically-required']);
  });

  it('stays silent on a PET skull base to mid-thigh with a head CT (not the same area), on brain PET, and on PET/CT alone', async () => {
    const head = await runScenario({ orders: [imagingOrder('sr-pet', '78812'), imagingOrder('sr-ct', '70450')], record: [] }, mode);
    expect(head.cardsFor('pet-ct-unbundling')).toEqual([]);
    const brain = await runScenario({ orders: [imagingOrder('sr-pet', '78608'), imagingOrder('sr-ct', '70450')], record: [] }, mode);
    expect(brain.cardsFor('pet-ct-unbundling')).toEqual([]);
    const petCt = await runScenario({ orders: [imagingOrder('sr-pet', '78815')], record: [] }, mode);
    expect(petCt.cardsFor('pet-ct-unbundling')).toEqual([]);
  });
});
