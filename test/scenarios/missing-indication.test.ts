import type { ServiceRequest } from 'fhir/r4';
import { ICD10, condition, imagingOrder } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** missing-indication (Preface-3.1): an order must state a known or suspected abnormality. */
const visit = officeVisit('enc-1', '2026-11-16');
const withoutReason = (id: string, cpt: string): ServiceRequest => {
  const { reasonCode: _none, ...order } = imagingOrder(id, cpt);
  return order;
};

describe.each(MODES)('missing-indication (%s)', (mode) => {
  it('warns on a CT head with no reasonCode and no reasonReference, with no invented suggestion', async () => {
    const r = await runScenario({ orders: [withoutReason('sr-ct', '70450')], record: [visit] }, mode);
    const [card, ...rest] = r.cardsFor('missing-indication');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'appropriate-use' } }, extension: { 'imaging-cds': { orders: ['ServiceRequest/sr-ct'] } } });
    expect(card?.detail).toContain('| Order reason | none (no reasonCode, no reasonReference) |  | ServiceRequest/sr-ct |');
    expect(card?.suggestions).toBeUndefined();
  });

  it('is silent when the reason is given as a reasonReference to a Condition, or as reasonCode text only', async () => {
    const ref = { ...withoutReason('sr-ct', '70450'), reasonReference: [{ reference: 'Condition/c-ha' }] };
    const r = await runScenario({ orders: [ref], record: [visit, condition('c-ha', ICD10, 'R51.9', 'Headache, unspecified')] }, mode);
    expect(r.cardsFor('missing-indication')).toEqual([]);
    const text = { ...withoutReason('sr-ct2', '70450'), reasonCode: [{ text: 'worst headache of life' }] };
    const r2 = await runScenario({ orders: [text], record: [visit] }, mode);
    expect(r2.cardsFor('missing-indication')).toEqual([]);
  });
});
