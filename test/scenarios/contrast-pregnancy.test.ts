import type { ServiceRequest } from 'fhir/r4';
import { ICD10, condition, imagingOrder, patient } from '../support/fhir-builders';
import { hcgTest, officeVisit, pregnancyStatus } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** contrast-pregnancy (Preface-3.1): pregnancy from a Condition, a pregnancy-status answer or an hCG test. */
const visit = officeVisit('enc-1', '2026-11-16');
const young = patient({ birthDate: '1994-03-12' });

describe.each(MODES)('contrast-pregnancy (%s)', (mode) => {
  it('warns on MRI pelvis with gadolinium for an active pregnancy condition and recommends MRI without contrast', async () => {
    const r = await runScenario(
      { orders: [imagingOrder('sr-mr', '72197')], patient: young, record: [visit, condition('c-preg', ICD10, 'Z34.02', 'Encounter for supervision of normal first pregnancy, second trimester', { onsetDateTime: '2026-07-01' })] },
      mode,
    );
    const [card, ...rest] = r.cardsFor('contrast-pregnancy');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'contraindication' } } });
    expect(card?.summary).toMatch(/gadolinium is contraindicated/);
    expect(card?.detail).toContain('| Pregnancy on the problem list | Encounter for supervision of normal first pregnancy, second trimester (Z34.02) | 2026-07-01 | Condition/c-preg |');
    expect(card?.suggestions?.[0]?.isRecommended).toBe(true);
    expect((card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('72195');
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['need-outweighs-risk']);
  });

  it('warns on CT with contrast after a positive pregnancy status, offering the non-contrast CT only as an option', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], patient: young, record: [visit, pregnancyStatus('obs-ps', true, '2026-11-20')] }, mode);
    const card = r.cardsFor('contrast-pregnancy')[0];
    expect(card?.summary).toMatch(/iodinated contrast during pregnancy/);
    expect(card?.detail).toContain('| Positive pregnancy status or test (LOINC 82810-3) | Pregnant (LA15173-0) | 2026-11-20 | Observation/obs-ps |');
    expect(card?.suggestions?.[0]?.isRecommended).toBe(false);
  });

  it('fires on a positive hCG test', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], patient: young, record: [visit, hcgTest('obs-hcg', true, '2026-11-21')] }, mode);
    expect(r.cardsFor('contrast-pregnancy')[0]?.detail).toContain('Observation/obs-hcg');
  });

  it('does not fire when a newer negative hCG supersedes an older positive status, nor without evidence', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], patient: young, record: [visit, pregnancyStatus('obs-old', true, '2026-11-01'), hcgTest('obs-neg', false, '2026-11-20')] }, mode);
    expect(r.cardsFor('contrast-pregnancy')).toEqual([]);
    const none = await runScenario({ orders: [imagingOrder('sr-ct', '74177')], patient: young, record: [visit] }, mode);
    expect(none.cardsFor('contrast-pregnancy')).toEqual([]);
  });
});
