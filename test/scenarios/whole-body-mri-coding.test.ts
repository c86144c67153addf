import { CPT, imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, updatedCode } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

describe.each(MODES)('whole-body-mri-coding (%s)', (mode) => {
  it('warns on whole-body MRI ordered as 77084 and suggests the 76498 order, everything else unchanged', async () => {
    const order = imagingOrder('sr-bm', '77084', { code: { coding: [{ system: CPT, code: '77084' }], text: 'Whole body MRI (STIR)' } });
    const r = await runScenario({ orders: [order], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('whole-body-mri-coding');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'claim' } } });
    expect(evidenceRows(card)[0]).toMatchObject({ value: 'CPT 77084', date: '2026-11-23', record: 'ServiceRequest/sr-bm' });
    expect(updatedCode(card)).toBe('76498');
    const updated = card?.suggestions?.[0]?.actions?.[0]?.resource as typeof order;
    expect(updated.code?.text).toContain('whole body');
    expect(updated.reasonCode).toEqual(order.reasonCode);
  });

  it('warns on WBMRI split into body-part MRI codes: one 76498 order replaces the first, the others are removed', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-1', '70551'), imagingOrder('sr-2', '71550'), imagingOrder('sr-3', '74181'), imagingOrder('sr-4', '72195')], record: [] }, mode);
    const card = r.cardsFor('whole-body-mri-coding')[0];
    expect(card?.indicator).toBe('warning');
    expect(updatedCode(card)).toBe('76498');
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-2', 'ServiceRequest/sr-3', 'ServiceRequest/sr-4']);
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['clinically-required']);
  });

  it('stays silent on 77084 for bone marrow perfusion, on 76498 whole body alone, and on three-region MRI', async () => {
    const bm = await runScenario({ orders: [imagingOrder('sr-bm', '77084')], record: [] }, mode);
    expect(bm.cardsFor('whole-body-mri-coding')).toEqual([]);
    const ok = await runScenario({ orders: [imagingOrder('sr-wb', '76498', { code: { coding: [{ system: CPT, code: '76498' }], text: 'MRI whole body' } })], record: [] }, mode);
    expect(ok.cardsFor('whole-body-mri-coding')).toEqual([]);
    const three = await runScenario({ orders: [imagingOrder('sr-2', '71550'), imagingOrder('sr-3', '74181'), imagingOrder('sr-4', '72195')], record: [] }, mode);
    expect(three.cardsFor('whole-body-mri-coding')).toEqual([]);
  });
});
