import { imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

describe.each(MODES)('3d-rendering (%s)', (mode) => {
  it('warns on 76377 ordered with a CTA head and suggests removing the rendering order', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-3d', '76377'), imagingOrder('sr-cta', '70496')], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('3d-rendering');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'claim' } } });
    expect(card?.extension['imaging-cds']).toMatchObject({ section: 'Preface-4.1', orders: ['ServiceRequest/sr-3d', 'ServiceRequest/sr-cta'] });
    expect(evidenceRows(card).map((e) => [e.value, e.date, e.record])).toEqual([
      ['CPT 76377', '2026-11-23', 'ServiceRequest/sr-3d'],
      ['CPT 70496', '2026-11-23', 'ServiceRequest/sr-cta'],
    ]);
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-3d']);
  });

  it('also fires with breast MRI and CT colonography', async () => {
    const breast = await runScenario({ orders: [imagingOrder('sr-3d', '76376'), imagingOrder('sr-b', '77049')], record: [] }, mode);
    expect(breast.cardsFor('3d-rendering')).toHaveLength(1);
    const colon = await runScenario({ orders: [imagingOrder('sr-3d', '76376'), imagingOrder('sr-c', '74262')], record: [] }, mode);
    expect(colon.cardsFor('3d-rendering')).toHaveLength(1);
  });

  it('stays silent on 3D rendering with a plain CT (e.g. complex fracture planning) and on a CTA without rendering', async () => {
    const ct = await runScenario({ orders: [imagingOrder('sr-3d', '76377'), imagingOrder('sr-ct', '73700')], record: [] }, mode);
    expect(ct.cardsFor('3d-rendering')).toEqual([]);
    const cta = await runScenario({ orders: [imagingOrder('sr-cta', '70496')], record: [] }, mode);
    expect(cta.cardsFor('3d-rendering')).toEqual([]);
  });
});
