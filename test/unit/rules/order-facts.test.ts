import type { Condition } from 'fhir/r4';
import { EMPTY_RECORD } from '../../../src/fhir/patient-record';
import type { PatientRecord } from '../../../src/fhir/patient-record';
import type { ImagingOrder } from '../../../src/orders/imaging-order';
import { projectRoot } from '../../../src/project-root';
import { orderEvidence, orderText, textMatches, unresolvedReasonReferences } from '../../../src/rules/facts/order-facts';
import { loadTerminology } from '../../../src/terminology/load-terminology';
import { ICD10, condition, imagingOrder } from '../../support/fhir-builders';

const terminology = loadTerminology(projectRoot());
const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

function asOrder(resource = imagingOrder('sr-1', '70551')): ImagingOrder {
  const study = terminology.lookupOrder(resource.code?.coding);
  if (study === undefined) throw new Error('unknown code');
  return { reference: `ServiceRequest/${resource.id ?? ''}`, resource, study, display: study.label, isTarget: true, date: new Date('2026-11-23T10:00:00Z') };
}
const recordWith = (conditions: Condition[]): PatientRecord => ({ ...EMPTY_RECORD, conditions });

describe('order-context', () => {
  it('orderText gathers code text, body site, reason text and notes', () => {
    const sr = imagingOrder('sr-1', '76498', { code: { text: 'MRI whole body' }, bodySite: [{ text: 'Entire body' }], note: [{ text: 'STIR only' }] });
    const text = orderText(sr);
    expect(text).toContain('MRI whole body');
    expect(text).toContain('Entire body');
    expect(text).toContain('STIR only');
    expect(text).toContain('Low back pain');
    expect(textMatches(text, ['whole[- ]?body'])).toBe(true);
    expect(textMatches(text, ['lifescan'])).toBe(false);
  });

  it('unresolvedReasonReferences counts reasonReferences the record cannot resolve (they still are reasons)', () => {
    const sr = imagingOrder('sr-1', '70551', { reasonCode: [], reasonReference: [{ reference: 'Condition/c-1' }, { reference: 'Condition/elsewhere' }, { display: 'See referral letter' }] });
    expect(unresolvedReasonReferences(asOrder(sr), recordWith([condition('c-1', ICD10, 'C90.00', 'Multiple myeloma')]))).toBe(2);
    expect(unresolvedReasonReferences(asOrder(), recordWith([]))).toBe(0);
  });

  it('orderEvidence shows the code as ordered (HCPCS stays HCPCS) and the order date', () => {
    const sr = imagingOrder('sr-9', 'C8931', { code: { coding: [{ system: HCPCS, code: 'C8931' }] } });
    expect(orderEvidence(asOrder(sr))).toMatchObject({ reference: 'ServiceRequest/sr-9', value: 'HCPCS C8931', date: '2026-11-23' });
  });
});
