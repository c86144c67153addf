import type { Condition } from 'fhir/r4';
import { EMPTY_RECORD } from '../../../src/fhir/patient-record';
import type { PatientRecord } from '../../../src/fhir/patient-record';
import type { ImagingOrder } from '../../../src/orders/imaging-order';
import { projectRoot } from '../../../src/project-root';
import { conditionsIn, orderEvidence, orderReasons, orderText, textMatches } from '../../../src/rules/order-context';
import { loadTerminology } from '../../../src/terminology/load-terminology';
import { ICD10, condition, imagingOrder } from '../../helpers/fhir-builders';

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

  it('orderReasons resolves reasonReference to a record Condition and counts unresolvable ones', () => {
    const sr = imagingOrder('sr-1', '70551', { reasonCode: [], reasonReference: [{ reference: 'Condition/c-1' }, { reference: 'Condition/elsewhere' }] });
    const { concepts, unresolved } = orderReasons(asOrder(sr), recordWith([condition('c-1', ICD10, 'C90.00', 'Multiple myeloma')]));
    expect(concepts.map((c) => c.coding?.[0]?.code)).toEqual(['C90.00']);
    expect(unresolved).toBe(1);
  });

  it('conditionsIn keeps only current conditions in the value set', () => {
    const refuted = condition('c-2', ICD10, 'C90.00', 'Multiple myeloma', { verificationStatus: { coding: [{ code: 'refuted' }] } });
    const found = conditionsIn(recordWith([condition('c-1', ICD10, 'C90.00', 'Multiple myeloma'), refuted, condition('c-3', ICD10, 'E11.9', 'Diabetes')]), terminology, 'multiple-myeloma');
    expect(found.map((f) => f.condition.id)).toEqual(['c-1']);
  });

  it('orderEvidence shows the code as ordered (HCPCS stays HCPCS) and the order date', () => {
    const sr = imagingOrder('sr-9', 'C8931', { code: { coding: [{ system: HCPCS, code: 'C8931' }] } });
    expect(orderEvidence(asOrder(sr))).toMatchObject({ reference: 'ServiceRequest/sr-9', value: 'HCPCS C8931', date: '2026-11-23' });
  });
});
