import type { ImagingOrder } from '../../../src/orders/imaging-order';
import { readImagingOrders } from '../../../src/orders/imaging-order';
import { assembleRecord } from '../../../src/fhir/patient-record';
import type { DataKey } from '../../../src/fhir/data-keys';
import { projectRoot } from '../../../src/project-root';
import { createRuleContext } from '../../../src/rules/engine/context';
import { applicableRules, evaluateRules } from '../../../src/rules/engine/evaluate';
import type { Rule } from '../../../src/rules/engine/types';
import { mriDevice } from '../../../src/rules/catalog/mri-device';
import { loadTerminology } from '../../../src/terminology/load-terminology';
import { device, hookRequest, imagingOrder } from '../../support/fhir-builders';

const terminology = loadTerminology(projectRoot());
const NOW = new Date('2026-11-23T12:00:00Z');

/** A draft of a CT with contrast, a lumbar MRI and a brain MRI, read as the service reads it. */
function draft(selections?: string[]): ImagingOrder[] {
  const request = hookRequest({
    hook: selections === undefined ? 'order-sign' : 'order-select',
    orders: [imagingOrder('sr-ct', '74177'), imagingOrder('sr-mr-ls', '72148'), imagingOrder('sr-mr-brain', '70553')],
    ...(selections !== undefined ? { selections } : {}),
  });
  return readImagingOrders(request.context, terminology);
}

function context(orders: ImagingOrder[], resources: Parameters<typeof assembleRecord>[0] = {}, available: DataKey[] = ['devices', 'conditions']) {
  return createRuleContext({ orders, targets: orders.filter((o) => o.isTarget), record: assembleRecord(resources, new Set(available)), terminology, now: NOW });
}

/** A real catalog rule that records the targets the engine hands it. */
function probe(rule: Rule): { rule: Rule; given: string[][] } {
  const given: string[][] = [];
  return {
    given,
    rule: {
      ...rule,
      evaluate(ctx, p, targets) {
        given.push(targets.map((o) => o.reference));
        return rule.evaluate(ctx, p, targets);
      },
    },
  };
}

describe('the engine hands each rule only the targets its relevant test accepted', () => {
  it('gives mri-device the two MRIs of an order-sign draft and not the CT, and the cards follow', () => {
    const { rule, given } = probe(mriDevice);
    const orders = draft();
    const evaluation = evaluateRules([{ rule, parameters: {} }], context(orders, { devices: [device('pm', '14106009', 'Cardiac pacemaker')] }));
    expect(given).toEqual([['ServiceRequest/sr-mr-ls', 'ServiceRequest/sr-mr-brain']]);
    expect(evaluation.findings.map((f) => f.orders.map((o) => o.reference))).toEqual([['ServiceRequest/sr-mr-ls'], ['ServiceRequest/sr-mr-brain']]);
  });

  it('keeps to the selections of order-select: an unselected MRI is context, not a target', () => {
    const { rule, given } = probe(mriDevice);
    const orders = draft(['ServiceRequest/sr-ct', 'ServiceRequest/sr-mr-brain']);
    evaluateRules([{ rule, parameters: {} }], context(orders, { devices: [device('pm', '14106009', 'Cardiac pacemaker')] }));
    expect(given).toEqual([['ServiceRequest/sr-mr-brain']]);
  });

  it('does not run a rule none of whose targets is relevant, and does not report it as not run', () => {
    const { rule, given } = probe(mriDevice);
    const orders = draft(['ServiceRequest/sr-ct']);
    expect(applicableRules([{ rule, parameters: {} }], orders.filter((o) => o.isTarget))).toEqual([]);
    // Even when asked to: its record keys are missing, yet there is nothing it could have said.
    const evaluation = evaluateRules([{ rule, parameters: {} }], context(orders, {}, []));
    expect(given).toEqual([]);
    expect(evaluation).toEqual({ findings: [], notRun: [], failed: [] });
  });
});

describe('a rule that throws', () => {
  it('is reported with what it threw and the targets it was judging, and the other rules still run', () => {
    const boom = new RangeError('threshold out of range');
    const broken: Rule = {
      ...mriDevice,
      code: 'broken',
      evaluate: () => {
        throw boom;
      },
    };
    const orders = draft();
    const evaluation = evaluateRules([{ rule: broken, parameters: {} }, { rule: mriDevice, parameters: {} }], context(orders, { devices: [device('pm', '14106009', 'Cardiac pacemaker')] }));
    expect(evaluation.failed).toEqual([{ rule: 'broken', orders: orders.filter((o) => o.study.modality === 'MRI'), error: boom }]);
    expect(evaluation.findings.map((f) => f.rule)).toEqual(['mri-device', 'mri-device']);
  });
});
