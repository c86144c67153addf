import type { ServiceRequest } from 'fhir/r4';
import { imagingOrder } from '../support/fhir-builders';
import { imagingProcedure, imagingStudy, officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** mri-contrast-only (Preface-3.1): MRI with contrast only is a completion study or off guideline. */
const visit = officeVisit('enc-1', '2026-11-16');
const reason = { reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'R90.89', display: 'Other abnormal findings on diagnostic imaging of central nervous system' }] }] };

describe.each(MODES)('mri-contrast-only (%s)', (mode) => {
  it('warns on MRI brain with contrast only and suggests MRI brain without and with contrast', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '70552', reason)], record: [visit] }, mode);
    const [card, ...rest] = r.cardsFor('mri-contrast-only');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'off-guideline' } } });
    const replaced = card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest;
    expect(replaced.code?.coding?.[0]?.code).toBe('70553');
    expect(replaced.reasonCode).toEqual(reason.reasonCode);
    expect(card?.overrideReasons?.map((o) => o.code)).toContain('completion-study');
  });

  it('is silent for a completion study after a recent non-contrast MRI of the same region (ImagingStudy or Procedure)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '70552', reason)], record: [visit, imagingStudy('is-mr', '70551', '2026-11-10')] }, mode);
    expect(r.cardsFor('mri-contrast-only')).toEqual([]);
    const p = await runScenario({ orders: [imagingOrder('sr-mr', '70552', reason)], record: [visit, imagingProcedure('pr-mr', '70551', '2026-11-12')] }, mode);
    expect(p.cardsFor('mri-contrast-only')).toEqual([]);
  });

  it('still fires when the recent non-contrast MRI is of another region or too old, and never for without-and-with', async () => {
    const other = await runScenario({ orders: [imagingOrder('sr-mr', '70552', reason)], record: [visit, imagingStudy('is-ls', '72148', '2026-11-10')] }, mode);
    expect(other.cardsFor('mri-contrast-only')).toHaveLength(1);
    const old = await runScenario({ orders: [imagingOrder('sr-mr', '70552', reason)], record: [visit, imagingStudy('is-old', '70551', '2026-08-01')] }, mode);
    expect(old.cardsFor('mri-contrast-only')).toHaveLength(1);
    const full = await runScenario({ orders: [imagingOrder('sr-mr', '70553', reason)], record: [visit] }, mode);
    expect(full.cardsFor('mri-contrast-only')).toEqual([]);
  });
});
