import type { ServiceRequest } from 'fhir/r4';
import type { ImagingOrder } from '../../../src/orders/imaging-order';
import { projectRoot } from '../../../src/project-root';
import { petMriRequest, wbmriRequest, wholeBodyCtOrders } from '../../../src/rules/facts/whole-body-request';
import { loadTerminology } from '../../../src/terminology/load-terminology';
import { CPT, imagingOrder } from '../../support/fhir-builders';

const terminology = loadTerminology(projectRoot());
const WB = ['whole[- ]?body', 'lifescan'];

function order(id: string, code: string, over: Partial<ServiceRequest> = {}): ImagingOrder {
  const resource = imagingOrder(id, code, over);
  const study = terminology.lookupOrder(resource.code?.coding);
  if (study === undefined) throw new Error(`${code} is not in the catalog`);
  return { reference: `ServiceRequest/${id}`, resource, study, display: study.label, isTarget: true };
}
const withText = (code: string, text: string) => ({ code: { coding: [{ system: CPT, code }], text } });

describe('wholeBodyCtOrders', () => {
  const ct = { wholeBodyTextPatterns: WB, unlistedCtCodes: ['76497'] };
  it('needs head, chest, abdomen and pelvis; abdomen+pelvis may be one code or two', () => {
    expect(wholeBodyCtOrders([order('a', '70450'), order('b', '71250'), order('c', '74176')], terminology, ct)?.map((o) => o.resource.id)).toEqual(['a', 'b', 'c']);
    expect(wholeBodyCtOrders([order('a', '70450'), order('b', '71250'), order('c', '74150'), order('d', '72192')], terminology, ct)).toHaveLength(4);
    expect(wholeBodyCtOrders([order('a', '70450'), order('b', '71250'), order('c', '74150')], terminology, ct)).toBeUndefined();
  });
  it('accepts one unlisted CT that says whole body, and ignores unrelated orders in the draft', () => {
    expect(wholeBodyCtOrders([order('u', '76497', withText('76497', 'LifeScan CT')), order('x', '72148')], terminology, ct)?.map((o) => o.resource.id)).toEqual(['u']);
    expect(wholeBodyCtOrders([order('u', '76497', withText('76497', 'CT for navigation'))], terminology, ct)).toBeUndefined();
  });
});

describe('wbmriRequest', () => {
  const mr = { wbmriCode: '76498', boneMarrowCode: '77084', wholeBodyTextPatterns: WB, minRegionGroups: 4, requiredRegionGroups: ['chest', 'abdomen', 'pelvis'] };
  it('recognises 76498 and 77084 by their whole-body text, and separate codes spanning the body', () => {
    expect(wbmriRequest([order('w', '76498', withText('76498', 'Whole body MRI'))], terminology, mr)?.unlisted).toHaveLength(1);
    expect(wbmriRequest([order('b', '77084', withText('77084', 'MRI whole-body marrow'))], terminology, mr)?.boneMarrow).toHaveLength(1);
    expect(wbmriRequest([order('1', '70551'), order('2', '71550'), order('3', '74181'), order('4', '72195')], terminology, mr)?.separate).toHaveLength(4);
  });
  it('leaves a neuro-axis work-up, 77084 without whole-body text, and 76498 next to a PET code alone', () => {
    expect(wbmriRequest([order('1', '70551'), order('2', '72141'), order('3', '72146'), order('4', '72148')], terminology, mr)).toBeUndefined();
    expect(wbmriRequest([order('b', '77084')], terminology, mr)).toBeUndefined();
    expect(wbmriRequest([order('p', '78813'), order('w', '76498', withText('76498', 'Whole body MRI'))], terminology, mr)).toBeUndefined();
  });
});

describe('petMriRequest', () => {
  const pm = { petWholeBodyCode: '78813', mriUnlistedCode: '76498' };
  it('tells the correct code pair from a coding error, and needs both parts', () => {
    expect(petMriRequest([order('p', '78813'), order('m', '76498')], pm)?.kind).toBe('pet-mri');
    expect(petMriRequest([order('p', '78811'), order('m', '76498')], pm)?.kind).toBe('coding-error');
    expect(petMriRequest([order('p', '78813')], pm)).toBeUndefined();
  });
});
