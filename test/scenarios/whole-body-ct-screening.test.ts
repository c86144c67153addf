import { CPT, ICD10, condition, imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, orderWithoutReason, overrideCodes, reason } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const screening = reason('Z00.00', 'Encounter for general adult medical examination without abnormal findings');
const wholeBody = (over = {}) => [imagingOrder('sr-head', '70450', { reasonCode: screening, ...over }), imagingOrder('sr-chest', '71250', { reasonCode: screening, ...over }), imagingOrder('sr-ap', '74176', { reasonCode: screening, ...over })];

describe.each(MODES)('whole-body-ct-screening (%s)', (mode) => {
  it('is critical for CT head + chest + abdomen/pelvis ordered together for a screening reason, naming every part and suggesting removal', async () => {
    const r = await runScenario({ orders: wholeBody(), record: [] }, mode);
    const [card, ...rest] = r.cardsFor('whole-body-ct-screening');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'critical', source: { topic: { code: 'coverage-info' } } });
    expect(card?.extension['imaging-cds']).toMatchObject({ section: 'Preface-5.1', orders: ['ServiceRequest/sr-head', 'ServiceRequest/sr-chest', 'ServiceRequest/sr-ap'] });
    const rows = evidenceRows(card);
    expect(rows.filter((e) => e.what.startsWith('Part of the whole-body CT')).map((e) => [e.value, e.date, e.record])).toEqual([
      ['CPT 70450', '2026-11-23', 'ServiceRequest/sr-head'],
      ['CPT 71250', '2026-11-23', 'ServiceRequest/sr-chest'],
      ['CPT 74176', '2026-11-23', 'ServiceRequest/sr-ap'],
    ]);
    expect(rows.some((e) => e.value.includes('(Z00.00)'))).toBe(true);
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-head', 'ServiceRequest/sr-chest', 'ServiceRequest/sr-ap']);
    expect(overrideCodes(card)).toEqual(['known-disease-staging']);
  });

  it('treats orders with no reason at all as screening, and separate abdomen and pelvis codes as one abdomen-pelvis', async () => {
    const r = await runScenario({ orders: [orderWithoutReason('sr-1', '70450'), orderWithoutReason('sr-2', '71260'), orderWithoutReason('sr-3', '74160'), orderWithoutReason('sr-4', '72193')], record: [] }, mode);
    const card = r.cardsFor('whole-body-ct-screening')[0];
    expect(card?.indicator).toBe('critical');
    expect(card?.summary).toContain('without an indication');
    expect(card?.extension['imaging-cds'].orders).toHaveLength(4);
  });

  it('recognises a single unlisted CT ordered as a whole-body LifeScan (and the unlisted-code card stays out of it)', async () => {
    const r = await runScenario({ orders: [orderWithoutReason('sr-ls', '76497', { code: { coding: [{ system: CPT, code: '76497' }], text: 'LifeScan whole-body CT' } })], record: [] }, mode);
    expect(r.cardsFor('whole-body-ct-screening')[0]?.extension['imaging-cds'].orders).toEqual(['ServiceRequest/sr-ls']);
    expect(r.cardsFor('unlisted-procedure')).toEqual([]);
  });

  it('stays silent for a cancer staging work-up (a known disease is an indication, not screening)', async () => {
    const staging = reason('C34.90', 'Malignant neoplasm of unspecified part of unspecified bronchus or lung');
    const r = await runScenario({ orders: wholeBody({ reasonCode: staging }), record: [condition('c-lung', ICD10, 'C34.90', 'Lung cancer')] }, mode);
    expect(r.cardsFor('whole-body-ct-screening')).toEqual([]);
  });

  it('stays silent when the head CT is missing (chest + abdomen/pelvis is not whole-body), and on CTA', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-chest', '71250', { reasonCode: screening }), imagingOrder('sr-ap', '74176', { reasonCode: screening })], record: [] }, mode);
    expect(r.cardsFor('whole-body-ct-screening')).toEqual([]);
    const cta = await runScenario({ orders: [imagingOrder('sr-h', '70496', { reasonCode: screening }), imagingOrder('sr-c', '71275', { reasonCode: screening }), imagingOrder('sr-ap', '74174', { reasonCode: screening })], record: [] }, mode);
    expect(cta.cardsFor('whole-body-ct-screening')).toEqual([]);
  });

  it('in order-select, advises when one part of the whole-body CT is selected, not when only an unrelated order is', async () => {
    const orders = [...wholeBody(), imagingOrder('sr-knee', '73721')];
    const part = await runScenario({ hook: 'order-select', orders, selections: ['ServiceRequest/sr-chest'], record: [] }, mode);
    expect(part.cardsFor('whole-body-ct-screening')[0]?.extension['imaging-cds'].orders).toEqual(['ServiceRequest/sr-head', 'ServiceRequest/sr-chest', 'ServiceRequest/sr-ap']);
    const other = await runScenario({ hook: 'order-select', orders, selections: ['ServiceRequest/sr-knee'], record: [] }, mode);
    expect(other.cardsFor('whole-body-ct-screening')).toEqual([]);
  });

  it('gives way to whole-body-ct-myeloma when the record shows multiple myeloma', async () => {
    const r = await runScenario({ orders: wholeBody(), record: [condition('c-mm', ICD10, 'C90.00', 'Multiple myeloma not having achieved remission')] }, mode);
    expect(r.cardsFor('whole-body-ct-screening')).toEqual([]);
    expect(r.cardsFor('whole-body-ct-myeloma')).toHaveLength(1);
  });
});
