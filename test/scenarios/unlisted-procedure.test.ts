import { CPT, imagingOrder } from '../support/fhir-builders';
import { evidenceRows, overrideCodes } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

describe.each(MODES)('unlisted-procedure (%s)', (mode) => {
  it('is info on 76497 (unlisted CT) for surgical navigation, listing the supported scenarios', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-u', '76497', { code: { coding: [{ system: CPT, code: '76497' }], text: 'CT head for Stealth navigation' } })], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('unlisted-procedure');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'claim' } } });
    expect(card?.summary).toContain('76497');
    expect(card?.detail).toContain('custom joint arthroplasty planning');
    expect(evidenceRows(card)[0]).toMatchObject({ value: 'CPT 76497', date: '2026-11-23', record: 'ServiceRequest/sr-u' });
    expect(overrideCodes(card)).toEqual(['category-iii-not-applicable']);
  });

  it('fires on 78999 and on a 76498 that is neither whole-body nor PET-MRI', async () => {
    const nm = await runScenario({ orders: [imagingOrder('sr-u', '78999')], record: [] }, mode);
    expect(nm.cardsFor('unlisted-procedure')).toHaveLength(1);
    const mr = await runScenario({ orders: [imagingOrder('sr-u', '76498', { code: { coding: [{ system: CPT, code: '76498' }], text: 'MRI knee for custom arthroplasty planning' } })], record: [] }, mode);
    expect(mr.cardsFor('unlisted-procedure')).toHaveLength(1);
  });

  it('stays silent on 76498 as whole-body MRI or as the MR half of PET-MRI (the right code there)', async () => {
    const wb = await runScenario({ orders: [imagingOrder('sr-wb', '76498', { code: { coding: [{ system: CPT, code: '76498' }], text: 'Whole-body MRI' } })], record: [] }, mode);
    expect(wb.cardsFor('unlisted-procedure')).toEqual([]);
    const petMri = await runScenario({ orders: [imagingOrder('sr-pet', '78813'), imagingOrder('sr-mr', '76498')], record: [] }, mode);
    expect(petMri.cardsFor('unlisted-procedure')).toEqual([]);
  });
});
