import { imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, reason } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

describe.each(MODES)('limited-ct (%s)', (mode) => {
  it('warns on 76380 ordered with a diagnostic chest CT (extra slices) and suggests removing 76380', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-lim', '76380'), imagingOrder('sr-ct', '71250')], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('limited-ct');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'claim' } } });
    expect(card?.summary).toContain('extra slices');
    expect(evidenceRows(card).map((e) => e.record)).toEqual(['ServiceRequest/sr-lim', 'ServiceRequest/sr-ct']);
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-lim']);
  });

  it('warns on 76380 for radiation treatment planning (reason Z51.0)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-lim', '76380', { reasonCode: reason('Z51.0', 'Encounter for antineoplastic radiation therapy') })], record: [] }, mode);
    const card = r.cardsFor('limited-ct')[0];
    expect(card?.summary).toContain('treatment planning');
    expect(evidenceRows(card)[1]).toMatchObject({ what: 'Treatment-planning purpose', value: 'Encounter for antineoplastic radiation therapy (Z51.0)' });
  });

  it('stays silent on 76380 alone for follow-up of a known lung nodule', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-lim', '76380', { reasonCode: reason('R91.1', 'Solitary pulmonary nodule') })], record: [] }, mode);
    expect(r.cardsFor('limited-ct')).toEqual([]);
  });
});
