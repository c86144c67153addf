import { imagingOrder } from '../support/fhir-builders';
import { evidenceRows } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

describe.each(MODES)('outside-study (%s)', (mode) => {
  it('is info on 76140 (second interpretation of an outside study)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-o', '76140')], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('outside-study');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'claim' } } });
    expect(card?.extension['imaging-cds']).toMatchObject({ section: 'Preface-4.7', orders: ['ServiceRequest/sr-o'] });
    expect(evidenceRows(card)[0]).toMatchObject({ value: 'CPT 76140', record: 'ServiceRequest/sr-o' });
    expect(card?.suggestions).toBeUndefined();
  });

  it('stays silent on a diagnostic CT', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '70450')], record: [] }, mode);
    expect(r.cardsFor('outside-study')).toEqual([]);
  });
});
