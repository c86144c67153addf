import type { Contrast } from '../../terminology/types';
import { orderReasons } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface MriBreastVsChestParameters {
  /** The breast MRI that replaces a chest MRI, by the chest MRI's contrast (bilateral: the side is not known). */
  readonly breastStudyByContrast: Readonly<Partial<Record<Contrast, string>>>;
  /** The chest MRI that replaces a breast MRI, by the breast MRI's contrast. */
  readonly chestStudyByContrast: Readonly<Partial<Record<Contrast, string>>>;
}

/**
 * mri-breast-vs-chest (Preface-3.1, Clinical Information): "MRI Breast and MRI Chest are not
 * interchangeable, as they focus detailed sequences on different adjacent body parts." Judged on the
 * order's own indication (reasonCode, or the Condition its reasonReference points to), never on the
 * problem list: a breast-cancer history does not make a chest MRI for a mediastinal mass a breast study.
 */
export const mriBreastVsChest: Rule<MriBreastVsChestParameters> = {
  code: 'mri-breast-vs-chest',
  requires: [],
  optional: ['conditions'],
  valueSets: ['breast-indications', 'chest-wall-mediastinal-indications'],
  variants: ['chest-for-breast', 'breast-for-chest'],
  suggestionKeys: ['other-study'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['breastStudyByContrast', 'chestStudyByContrast'],
    properties: {
      breastStudyByContrast: { type: 'object', additionalProperties: { type: 'string' } },
      chestStudyByContrast: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  relevant: (order) => order.study.modality === 'MRI' && (order.study.region === 'chest' || order.study.region === 'breast'),
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const chest = order.study.region === 'chest';
      const valueSet = chest ? 'breast-indications' : 'chest-wall-mediastinal-indications';
      const evidence: Evidence[] = [];
      for (const reason of orderReasons(order, ctx.record)) {
        const coding = ctx.terminology.matchConcept(reason.concept, valueSet);
        if (coding === undefined) continue;
        evidence.push({
          ...(reason.condition?.id !== undefined ? { reference: `Condition/${reason.condition.id}` } : { reference: order.reference }),
          what: chest ? 'Breast indication on the order' : 'Chest wall or mediastinal indication on the order',
          value: `${coding.display ?? reason.concept.text ?? 'indication'} (${coding.code ?? '?'})`,
        });
      }
      if (evidence.length === 0) continue;
      const code = (chest ? p.breastStudyByContrast : p.chestStudyByContrast)[order.study.contrast];
      const other = code === undefined ? undefined : ctx.terminology.study(code);
      findings.push({
        rule: 'mri-breast-vs-chest',
        variant: chest ? 'chest-for-breast' : 'breast-for-chest',
        orders: [order],
        evidence,
        suggestions: other === undefined ? [] : [{ kind: 'replace', wording: 'other-study', order, replacement: other, recommended: true }],
      });
    }
    return findings;
  },
};
