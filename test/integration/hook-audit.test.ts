import request from 'supertest';
import type { ServiceRequest } from 'fhir/r4';
import type { Card, HookRequest } from '../../src/cds-hooks/types';
import { device, hookRequest, imagingOrder, prefetchWith } from '../support/fhir-builders';
import { createTestApp } from '../helpers/test-app';
import { expectWireValid } from '../helpers/wire-rules';

/**
 * The audit row of a hook call describes exactly the cards the EHR was shown. The expectation is read off
 * the wire cards here, independently of how the service builds the row: the card's rule and orders, and
 * for each suggestion the code of the order its first action changes and the code an update proposes.
 */
const SIGN = '/cds-services/imaging-order-sign';

function auditOfWireCard(card: Card, sent: HookRequest) {
  const codeOf = new Map<string, string | undefined>(
    (sent.context.draftOrders.entry ?? []).map((e) => {
      const sr = e.resource as ServiceRequest;
      return [`ServiceRequest/${sr.id ?? ''}`, sr.code?.coding?.[0]?.code];
    }),
  );
  return {
    uuid: card.uuid,
    rule: card.extension['imaging-cds'].rule,
    indicator: card.indicator,
    orders: [...card.extension['imaging-cds'].orders],
    suggestions: (card.suggestions ?? []).map((s) => {
      const action = s.actions?.[0];
      const target = action?.type === 'update' ? `ServiceRequest/${action.resource?.id ?? ''}` : action?.resourceId;
      const toCode = action?.type === 'update' ? (action.resource as ServiceRequest).code?.coding?.[0]?.code : undefined;
      const fromCode = target === undefined ? undefined : codeOf.get(target);
      return { uuid: s.uuid, label: s.label, ...(fromCode !== undefined ? { fromCode } : {}), ...(toCode !== undefined ? { toCode } : {}) };
    }),
  };
}

describe('the invocation row of a hook call', () => {
  it('holds one audit row per card shown, in order, with the codes each suggestion changes', async () => {
    const { app, store } = createTestApp();
    // An MRI with a pacemaker on record (replace: CT instead), the same MRI twice in the draft (remove) and a
    // unilateral breast MRI pair (replace, with the other order deleted).
    const orders = [
      imagingOrder('sr-mr', '72148'),
      imagingOrder('sr-mr-again', '72148'),
      imagingOrder('sr-br-l', '77046', { bodySite: [{ coding: [{ system: 'http://snomed.info/sct', code: '80248007' }] }] }),
      imagingOrder('sr-br-r', '77046', { bodySite: [{ coding: [{ system: 'http://snomed.info/sct', code: '73056007' }] }] }),
    ];
    const sent = hookRequest({ orders, prefetch: prefetchWith({ devices: [device('pm', '14106009', 'Cardiac pacemaker')] }) });
    const res = await request(app).post(SIGN).send(sent).expect(200);
    const cards = expectWireValid(res.body, sent).cards;
    const rules = cards.map((c) => c.extension['imaging-cds'].rule);
    expect(rules).toEqual(expect.arrayContaining(['mri-device', 'duplicate-imaging', 'breast-mri-bilateral']));
    const [row, ...more] = store.invocations;
    expect(more).toEqual([]);
    expect(row).toMatchObject({ serviceId: 'imaging-order-sign', hookInstance: sent.hookInstance, status: 200, orderCodes: ['72148', '72148', '77046', '77046'] });
    expect(row?.cards).toEqual(cards.map((c) => auditOfWireCard(c, sent)));
    // The oracle above is not vacuous: replacements and removals are both audited with their codes.
    const suggestions = row?.cards.flatMap((c) => c.suggestions) ?? [];
    expect(suggestions).toEqual(expect.arrayContaining([expect.objectContaining({ fromCode: '72148', toCode: '72131' }), expect.objectContaining({ fromCode: '77046', toCode: '77047' })]));
    expect(suggestions.some((s) => s.fromCode === '72148' && s.toCode === undefined)).toBe(true);
  });

  it('is written once for a 412 too, with its status and no cards', async () => {
    const { app, store } = createTestApp();
    const sent = hookRequest({ orders: [imagingOrder('sr-mr', '72148')] });
    await request(app).post(SIGN).send(sent).expect(412);
    expect(store.invocations).toHaveLength(1);
    expect(store.invocations[0]).toMatchObject({ hookInstance: sent.hookInstance, status: 412, cards: [], orderCodes: ['72148'] });
  });
});
