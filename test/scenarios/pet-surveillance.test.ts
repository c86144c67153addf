import { ICD10, condition, imagingOrder } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** pet-surveillance (Preface-3.1): PET whose only indication is history of malignancy / follow-up after treatment. */
const visit = officeVisit('enc-1', '2026-11-16');
const reasons = (...codes: [string, string][]) => ({ reasonCode: codes.map(([code, display]) => ({ coding: [{ system: ICD10, code, display }] })) });

describe.each(MODES)('pet-surveillance (%s)', (mode) => {
  it('warns on a PET/CT for personal history of breast cancer and follow-up after treatment, offering removal', async () => {
    const r = await runScenario(
      { orders: [imagingOrder('sr-pet', '78815', reasons(['Z85.3', 'Personal history of malignant neoplasm of breast'], ['Z08', 'Encounter for follow-up examination after completed treatment for malignant neoplasm']))], record: [visit] },
      mode,
    );
    const [card, ...rest] = r.cardsFor('pet-surveillance');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'off-guideline' } } });
    expect(card?.detail).toContain('| Surveillance indication on the order | Personal history of malignant neoplasm of breast (Z85.3) |  | ServiceRequest/sr-pet |');
    expect(card?.suggestions?.[0]?.actions?.[0]).toMatchObject({ type: 'delete', resourceId: 'ServiceRequest/sr-pet' });
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['condition-guideline-supports', 'recurrence']);
  });

  it('reads the surveillance indication through reasonReference', async () => {
    const { reasonCode: _none, ...order } = imagingOrder('sr-pet', '78815', { reasonReference: [{ reference: 'Condition/c-hx' }] });
    const r = await runScenario({ orders: [order], record: [visit, condition('c-hx', ICD10, 'Z85.118', 'Personal history of other malignant neoplasm of bronchus and lung')] }, mode);
    expect(r.cardsFor('pet-surveillance')[0]?.detail).toContain('Condition/c-hx');
  });

  it('is silent for staging an active cancer (even with a history code alongside) and for a CT in surveillance', async () => {
    const staging = await runScenario({ orders: [imagingOrder('sr-pet', '78815', reasons(['C34.11', 'Malignant neoplasm of upper lobe, right bronchus or lung'], ['Z85.3', 'Personal history of malignant neoplasm of breast']))], record: [visit] }, mode);
    expect(staging.cardsFor('pet-surveillance')).toEqual([]);
    const ct = await runScenario({ orders: [imagingOrder('sr-ct', '71260', reasons(['Z85.3', 'Personal history of malignant neoplasm of breast']))], record: [visit] }, mode);
    expect(ct.cardsFor('pet-surveillance')).toEqual([]);
  });
});
