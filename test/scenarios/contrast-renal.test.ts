import type { ServiceRequest } from 'fhir/r4';
import { ICD10, LOINC, SNOMED, condition, imagingOrder, labObservation } from '../support/fhir-builders';
import { RULES } from '../../src/rules/catalog';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** contrast-renal (Preface-3.1): the "when" column of docs/rules.md, and the near misses it must not fire on. */
const ctWithContrast = (): ServiceRequest => imagingOrder('sr-ct', '74177', { code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '74177' }], text: 'CT abdomen and pelvis with contrast' } });
const mriWithAndWithout = (): ServiceRequest => imagingOrder('sr-mr', '70553');

describe.each(MODES)('contrast-renal (%s)', (mode) => {
  it('fires on CT with contrast when the latest eGFR is below 30, showing value, unit and date, and suggests the non-contrast CT', async () => {
    const r = await runScenario(
      { orders: [ctWithContrast()], record: [labObservation('egfr-new', '98979-8', 24, 'mL/min/{1.73_m2}', '2026-11-10'), labObservation('egfr-old', '98979-8', 55, 'mL/min/{1.73_m2}', '2026-09-01')] },
      mode,
      // only this rule runs, so the FHIR reads below are exactly the ones contrast-renal needs
      { DISABLED_RULES: RULES.map((rule) => rule.code).filter((code) => code !== 'contrast-renal').join(',') },
    );
    const [card, ...rest] = r.cardsFor('contrast-renal');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'contraindication' } }, extension: { 'imaging-cds': { rule: 'contrast-renal', section: 'Preface-3.1', orders: ['ServiceRequest/sr-ct'] } } });
    expect(card?.summary).toMatch(/^CT abdomen and pelvis with contrast: iodinated contrast/);
    expect(card?.detail).toContain('| eGFR below 30 (LOINC 98979-8) | 24 mL/min/1.73m2 | 2026-11-10 | Observation/egfr-new |');
    expect(card?.detail).toContain('Preface-3.1, Clinical Information');
    const update = card?.suggestions?.[0]?.actions?.[0];
    expect(update?.type).toBe('update');
    const replaced = update?.resource as ServiceRequest;
    expect(replaced.id).toBe('sr-ct');
    expect(replaced.code?.coding).toEqual([expect.objectContaining({ code: '74176' })]);
    // everything else on the order is unchanged
    expect(replaced.reasonCode).toEqual(ctWithContrast().reasonCode);
    expect(replaced.subject).toEqual(ctWithContrast().subject);
    expect(card?.overrideReasons?.length).toBeGreaterThan(0);
    // prefetch mode reads nothing itself; server mode reads exactly the keys the applicable rules need
    if (mode === 'prefetch') expect(r.fhirRequests).toEqual([]);
    else expect(r.fhirRequests.map((q) => q.split('?')[0]).sort()).toEqual(['GET Condition', 'GET Observation', 'GET Procedure']);
  });

  it('does not fire when an old low eGFR is superseded by a newer normal one', async () => {
    const r = await runScenario(
      { orders: [ctWithContrast()], record: [labObservation('egfr-old', '98979-8', 22, 'mL/min/{1.73_m2}', '2026-10-01'), labObservation('egfr-new', '98979-8', 64, 'mL/min/{1.73_m2}', '2026-11-15'), officeVisit('enc-1', '2026-11-15')] },
      mode,
    );
    expect(r.response.cards).toEqual([]);
  });

  it('reads creatinine in umol/L against its own reference range', async () => {
    const high = labObservation('cr-1', '14682-9', 190, 'umol/L', '2026-11-20', { referenceRange: [{ low: { value: 45, unit: 'umol/L', code: 'umol/L' }, high: { value: 90, unit: 'umol/L', code: 'umol/L' } }] });
    const r = await runScenario({ orders: [mriWithAndWithout()], record: [high] }, mode);
    const [card] = r.cardsFor('contrast-renal');
    expect(card?.summary).toMatch(/gadolinium/);
    expect(card?.detail).toMatch(/Creatinine elevated \(LOINC 14682-9\) \| 190 umol\/L \(above reference range\)/);
    expect((card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('70551');
  });

  it('does not fire on a creatinine within its reference range even above the default limit', async () => {
    const normal = labObservation('cr-2', '2160-0', 1.4, 'mg/dL', '2026-11-20', { referenceRange: [{ high: { value: 1.5, unit: 'mg/dL', code: 'mg/dL' } }] });
    const r = await runScenario({ orders: [ctWithContrast()], record: [normal] }, mode);
    expect(r.cardsFor('contrast-renal')).toEqual([]);
  });

  it('fires on dialysis recorded as a condition (ICD-10-CM Z99.2) and on CKD stage 5 (SNOMED)', async () => {
    const r = await runScenario({ orders: [ctWithContrast()], record: [condition('c-dial', ICD10, 'Z99.2', 'Dependence on renal dialysis')] }, mode);
    expect(r.cardsFor('contrast-renal')[0]?.detail).toContain('Dialysis');
    const r2 = await runScenario({ orders: [ctWithContrast()], record: [condition('c-ckd', SNOMED, '433146000', 'Chronic kidney disease stage 5')] }, mode);
    expect(r2.cardsFor('contrast-renal')[0]?.detail).toContain('Condition/c-ckd');
  });

  it('ignores entered-in-error results and resolved or refuted conditions', async () => {
    const r = await runScenario(
      {
        orders: [ctWithContrast()],
        record: [
          labObservation('egfr-eie', '98979-8', 12, 'mL/min/{1.73_m2}', '2026-11-21', { status: 'entered-in-error' }),
          condition('c-res', ICD10, 'N17.9', 'Acute kidney failure', { clinicalStatus: { coding: [{ code: 'resolved' }] } }),
          condition('c-ref', ICD10, 'N18.5', 'CKD stage 5', { verificationStatus: { coding: [{ code: 'refuted' }] } }),
          officeVisit('enc-1', '2026-11-15'),
        ],
      },
      mode,
    );
    expect(r.response.cards).toEqual([]);
  });

  it('does not fire on a CT without contrast, nor read the labs for it', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-nc', '74176')], record: [labObservation('egfr', '98979-8', 10, 'mL/min/{1.73_m2}', '2026-11-20', { code: { coding: [{ system: LOINC, code: '98979-8' }] } })] }, mode);
    expect(r.cardsFor('contrast-renal')).toEqual([]);
    expect(r.fhirRequests.filter((q) => q.includes('Observation'))).toEqual([]);
  });
});
