import type { ServiceRequest } from 'fhir/r4';
import { imagingOrder } from '../support/fhir-builders';
import { imagingStudy, officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** double-contrast-ct (Preface-3.1): CT without-and-with contrast, never a CTA. */
const visit = officeVisit('enc-1', '2026-11-16');
const reason = { reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'R19.00', display: 'Intra-abdominal and pelvic swelling, mass and lump, unspecified site' }] }] };

describe.each(MODES)('double-contrast-ct (%s)', (mode) => {
  it('warns on CT abdomen/pelvis without and with contrast, suggests the with-contrast study, and names the exceptions', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74178', reason)], record: [visit] }, mode);
    const [card, ...rest] = r.cardsFor('double-contrast-ct');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'off-guideline' } } });
    expect(card?.summary).toMatch(/few indications/);
    const s = card?.suggestions?.[0];
    expect((s?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('74177');
    expect(s?.isRecommended).toBe(false);
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['characterize-mass', 'arterial-venous-anatomy', 'condition-guideline-supports']);
  });

  it('names the recent non-contrast CT and recommends the with-contrast completion study', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '74178', reason)], record: [visit, imagingStudy('is-nc', '74176', '2026-11-15')] }, mode);
    const card = r.cardsFor('double-contrast-ct')[0];
    expect(card?.summary).toMatch(/completion study/);
    expect(card?.detail).toContain('| Recent non-contrast CT of the same region | CT abdomen and pelvis - no contrast (74176) | 2026-11-15 | ImagingStudy/is-nc |');
    expect(card?.suggestions?.[0]?.isRecommended).toBe(true);
  });

  it('treats a non-contrast CT older than two weeks as no completion path, and is silent on a CTA and on CT with contrast', async () => {
    const old = await runScenario({ orders: [imagingOrder('sr-ct', '74178', reason)], record: [visit, imagingStudy('is-old', '74176', '2026-10-20')] }, mode);
    expect(old.cardsFor('double-contrast-ct')[0]?.summary).toMatch(/few indications/);
    const cta = await runScenario({ orders: [imagingOrder('sr-cta', '71275', reason)], record: [visit] }, mode);
    expect(cta.cardsFor('double-contrast-ct')).toEqual([]);
    const single = await runScenario({ orders: [imagingOrder('sr-ct', '74177', reason)], record: [visit] }, mode);
    expect(single.cardsFor('double-contrast-ct')).toEqual([]);
  });
});
