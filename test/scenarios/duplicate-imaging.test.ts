import { imagingOrder } from '../support/fhir-builders';
import { cleanWorkup, imagingProcedure, imagingStudy, priorOrder } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** duplicate-imaging (Preface-3.1): same modality family and region, in the record or twice in the draft. */
describe.each(MODES)('duplicate-imaging (%s)', (mode) => {
  it('warns on a lumbar MRI when one was done 30 days ago, naming the prior study and its date', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '72148')], record: [...cleanWorkup(), imagingStudy('is-mr', '72148', '2026-10-24')] }, mode);
    const [card, ...rest] = r.cardsFor('duplicate-imaging');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'duplicate-therapy' } } });
    expect(card?.summary).toContain('2026-10-24');
    expect(card?.detail).toContain('| Prior study of the same region | MRI lumbar spine - no contrast (72148) | 2026-10-24 | ImagingStudy/is-mr |');
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['disease-progression', 'recurrence', 'change-in-management', 'prior-study-inadequate']);
    const remove = card?.suggestions?.[0];
    expect(remove?.isRecommended).toBe(false);
    expect(remove?.actions?.[0]).toMatchObject({ type: 'delete', resourceId: 'ServiceRequest/sr-mr' });
  });

  it('counts a similar study (with contrast vs without) recorded as a completed Procedure, and an open order not yet done', async () => {
    const proc = await runScenario({ orders: [imagingOrder('sr-mr', '72158')], record: [...cleanWorkup(), imagingProcedure('pr-mr', '72148', '2026-11-01')] }, mode);
    expect(proc.cardsFor('duplicate-imaging')[0]?.detail).toContain('Procedure/pr-mr');
    const open = await runScenario({ orders: [imagingOrder('sr-mr', '72148')], record: [...cleanWorkup(), priorOrder('sr-old', '72148', '2026-11-05', 'active')] }, mode);
    expect(open.cardsFor('duplicate-imaging')[0]?.detail).toContain('| Open order for the same study | MRI lumbar spine - no contrast (72148), ordered, not yet done | 2026-11-05 | ServiceRequest/sr-old |');
  });

  it('warns once on two CTs of the same region in one draft, on the later order, recommending its removal', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-a', '74177'), imagingOrder('sr-b', '72193')], record: cleanWorkup() }, mode);
    const cards = r.cardsFor('duplicate-imaging');
    expect(cards.map((c) => c.extension['imaging-cds'].orders)).toEqual([['ServiceRequest/sr-b']]);
    expect(cards[0]?.detail).toContain('| Also in this draft | CT abdomen and pelvis - IV contrast (74177) | 2026-11-23 | ServiceRequest/sr-a |');
    expect(cards[0]?.suggestions?.[0]?.isRecommended).toBe(true);
  });

  it('is silent for a study older than the look-back, another region, another modality, or a cancelled order', async () => {
    const r = await runScenario(
      {
        orders: [imagingOrder('sr-mr', '72148')],
        record: [...cleanWorkup(), imagingStudy('is-old', '72148', '2026-06-01'), imagingStudy('is-c', '72141', '2026-11-01'), imagingStudy('is-ct', '72131', '2026-11-01'), priorOrder('sr-x', '72148', '2026-11-10', 'revoked')],
      },
      mode,
    );
    expect(r.cardsFor('duplicate-imaging')).toEqual([]);
  });
});
