import type { ServiceRequest } from 'fhir/r4';
import { ICD10, condition, imagingOrder } from '../support/fhir-builders';
import { imagingProcedure, imagingStudy, officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** xray-first (Preface-3.1): spine/MSK advanced imaging needs radiographs from the current episode. */
const visit = officeVisit('enc-1', '2026-11-16');
const knee = { reasonCode: [{ coding: [{ system: ICD10, code: 'M25.561', display: 'Pain in right knee' }] }] };

describe.each(MODES)('xray-first (%s)', (mode) => {
  it('warns on a lumbar MRI with no radiograph in 180 days and suggests lumbar radiographs first', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '72148')], record: [visit, imagingStudy('xr-2025', '72100', '2025-01-10')] }, mode);
    const [card, ...rest] = r.cardsFor('xray-first');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'therapy-alternatives-req' } } });
    expect(card?.summary).toContain('since 2026-05-27');
    expect(card?.detail).toContain('| Current episode (no dated onset in the record): default look-back | 180 days | 2026-05-27 |  |');
    const replaced = card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest;
    expect(replaced.code?.coding?.[0]?.code).toBe('72100');
    expect(replaced.id).toBe('sr-mr');
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['recent-radiographs-elsewhere', 'clinically-required']);
  });

  it('dates the episode from the reason condition onset: a radiograph before the onset does not count', async () => {
    const onset = condition('c-lbp', ICD10, 'M54.50', 'Low back pain, unspecified', { onsetDateTime: '2026-10-15' });
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '72148')], record: [visit, onset, imagingStudy('xr-before', '72100', '2026-09-01')] }, mode);
    const card = r.cardsFor('xray-first')[0];
    expect(card?.detail).toContain('| Current episode began (onset of the order reason) | Low back pain, unspecified (M54.50) | 2026-10-15 | Condition/c-lbp |');
    const after = await runScenario({ orders: [imagingOrder('sr-mr', '72148')], record: [visit, onset, imagingProcedure('xr-after', '72110', '2026-10-20')] }, mode);
    expect(after.cardsFor('xray-first')).toEqual([]);
  });

  it('warns on a knee MRI without knee radiographs, without a guessed radiograph code', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '73721', knee)], record: [visit] }, mode);
    const card = r.cardsFor('xray-first')[0];
    expect(card?.indicator).toBe('warning');
    expect(card?.suggestions).toBeUndefined();
    const done = await runScenario({ orders: [imagingOrder('sr-mr', '73721', knee)], record: [visit, imagingStudy('xr-knee', '73562', '2026-11-01')] }, mode);
    expect(done.cardsFor('xray-first')).toEqual([]);
  });

  it('is silent for a brain MRI; a cervical radiograph does not clear a lumbar MRI', async () => {
    const brain = await runScenario({ orders: [imagingOrder('sr-mr', '70551')], record: [visit] }, mode);
    expect(brain.cardsFor('xray-first')).toEqual([]);
    const cervical = await runScenario({ orders: [imagingOrder('sr-mr', '72148')], record: [visit, imagingStudy('xr-c', '72040', '2026-11-01')] }, mode);
    expect(cervical.cardsFor('xray-first')).toHaveLength(1);
  });
});
