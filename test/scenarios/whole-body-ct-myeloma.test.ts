import { ICD10, SNOMED, condition, imagingOrder } from '../support/fhir-builders';
import { evidenceRows, reason } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const mmReason = reason('C90.00', 'Multiple myeloma not having achieved remission');
const wholeBody = (reasonCode = mmReason) => [imagingOrder('sr-head', '70450', { reasonCode }), imagingOrder('sr-chest', '71250', { reasonCode }), imagingOrder('sr-ap', '74176', { reasonCode })];

describe.each(MODES)('whole-body-ct-myeloma (%s)', (mode) => {
  it('is info pointing to ONC-25 for a whole-body CT with multiple myeloma on the record, showing the condition and its date', async () => {
    const r = await runScenario({ orders: wholeBody(), record: [condition('c-mm', ICD10, 'C90.00', 'Multiple myeloma not having achieved remission', { onsetDateTime: '2026-09-14' })] }, mode);
    const [card, ...rest] = r.cardsFor('whole-body-ct-myeloma');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'guideline' } } });
    expect(card?.detail).toContain('ONC-25');
    expect(evidenceRows(card)[0]).toEqual({ what: 'Myeloma or plasmacytoma on the problem list', value: 'Multiple myeloma not having achieved remission (C90.00)', date: '2026-09-14', record: 'Condition/c-mm' });
    expect(card?.suggestions).toBeUndefined();
    expect(r.cardsFor('whole-body-ct-screening')).toEqual([]);
  });

  it('recognises a plasmacytoma coded in SNOMED', async () => {
    const r = await runScenario({ orders: wholeBody(reason('D47.Z9', 'Neoplasm of uncertain behavior')), record: [condition('c-p', SNOMED, '415112005', 'Plasmacytoma')] }, mode);
    expect(r.cardsFor('whole-body-ct-myeloma')[0]?.detail).toContain('Condition/c-p');
  });

  it('ignores a refuted myeloma diagnosis and a single CT of a myeloma patient', async () => {
    const refuted = condition('c-mm', ICD10, 'C90.00', 'Multiple myeloma', {
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'refuted' }] },
    });
    const r = await runScenario({ orders: wholeBody(reason('R53.83', 'Other fatigue')), record: [refuted] }, mode);
    expect(r.cardsFor('whole-body-ct-myeloma')).toEqual([]);
    const single = await runScenario({ orders: [imagingOrder('sr-chest', '71250', { reasonCode: mmReason })], record: [condition('c-mm', ICD10, 'C90.00', 'Multiple myeloma')] }, mode);
    expect(single.cardsFor('whole-body-ct-myeloma')).toEqual([]);
  });
});
