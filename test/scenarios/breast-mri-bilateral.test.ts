import { SNOMED, imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, updatedCode } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const site = (code: string, display: string) => ({ bodySite: [{ coding: [{ system: SNOMED, code, display }] }] });
const left = site('80248007', 'Left breast structure');
const right = site('73056007', 'Right breast structure');

describe.each(MODES)('breast-mri-bilateral (%s)', (mode) => {
  it('warns on left and right unilateral breast MRIs and suggests one bilateral 77049 order replacing both', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-l', '77048', left), imagingOrder('sr-r', '77048', right)], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('breast-mri-bilateral');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'claim' } } });
    expect(evidenceRows(card).map((e) => [e.value, e.record])).toEqual([
      ['CPT 77048; side: left', 'ServiceRequest/sr-l'],
      ['CPT 77048; side: right', 'ServiceRequest/sr-r'],
    ]);
    expect(updatedCode(card)).toBe('77049');
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-r']);
    expect(card?.overrideReasons).toBeUndefined();
  });

  it('keeps the contrast of the richer order: without (77046) + without-and-with (77048) -> 77049', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-l', '77046', left), imagingOrder('sr-r', '77048', right)], record: [] }, mode);
    const card = r.cardsFor('breast-mri-bilateral')[0];
    expect(updatedCode(card)).toBe('77049');
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-l']);
  });

  it('stays silent on two orders for the same breast and on a single unilateral MRI', async () => {
    const same = await runScenario({ orders: [imagingOrder('sr-1', '77048', left), imagingOrder('sr-2', '77046', left)], record: [] }, mode);
    expect(same.cardsFor('breast-mri-bilateral')).toEqual([]);
    const one = await runScenario({ orders: [imagingOrder('sr-1', '77048', left)], record: [] }, mode);
    expect(one.cardsFor('breast-mri-bilateral')).toEqual([]);
  });
});
