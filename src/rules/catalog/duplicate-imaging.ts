import type { ImagingOrder } from '../../orders/imaging-order';
import type { StudyDefinition, Terminology } from '../../terminology/types';
import { isoDay } from '../../fhir/dates';
import { MODALITY_GROUP, priorEvidence } from '../facts/prior-imaging';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface DuplicateImagingParameters {
  /** Completed studies and still-open orders within this many days before the order count as duplicates. */
  readonly lookbackDays: number;
}

/**
 * Same or similar study: same modality family (CT/CTA, MRI/MRA, PET/PET-CT ...) and an imaged region in
 * common. Codes that name no region ("other", e.g. unlisted or add-on codes) are only the same study when
 * the code is identical.
 */
export function similarStudies(a: StudyDefinition, b: StudyDefinition, terminology: Terminology): boolean {
  if (a.code === b.code) return true;
  if (a.modality === 'other' || b.modality === 'other' || a.region === 'other' || b.region === 'other') return false;
  return MODALITY_GROUP[a.modality] === MODALITY_GROUP[b.modality] && terminology.regionsOverlap(a, b);
}

/**
 * duplicate-imaging (Preface-3.1, Clinical Information): "Repeat imaging studies are not generally
 * necessary unless there is evidence of disease progression, recurrence of disease, and/or the repeat
 * imaging will affect an individual's clinical management." Looks across the record (done or still
 * ordered) and across the whole draft. Within the draft the later order of a pair carries the card, so a
 * pair gives one card, not two that each propose removing the other.
 */
export const duplicateImaging: Rule<DuplicateImagingParameters> = {
  code: 'duplicate-imaging',
  requires: ['imagingStudies', 'serviceRequests'],
  optional: ['procedures'],
  valueSets: [],
  variants: ['prior', 'draft'],
  suggestionKeys: ['remove'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['lookbackDays'],
    properties: { lookbackDays: { type: 'integer', minimum: 1, maximum: 3650 } },
  },
  relevant: (order) => order.study.modality !== 'XR' && order.study.modality !== 'other',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const index = ctx.orders.indexOf(order);
      const inDraft = ctx.orders.filter(
        (other, j): other is ImagingOrder => other !== order && (j < index || !other.isTarget) && similarStudies(order.study, other.study, ctx.terminology),
      );
      const prior = ctx.priorImaging(order.date ?? ctx.now, p.lookbackDays).filter((s) => similarStudies(order.study, s.study, ctx.terminology));
      if (inDraft.length === 0 && prior.length === 0) continue;
      const evidence: Evidence[] = [
        ...prior.map((s) => priorEvidence(s, s.state === 'done' ? 'Prior study of the same region' : 'Open order for the same study')),
        ...inDraft.map((o) => ({ reference: o.reference, what: 'Also in this draft', value: `${o.display} (${o.study.code})`, ...(o.date !== undefined ? { date: isoDay(o.date) } : {}) })),
      ];
      const first = prior[0];
      findings.push({
        rule: 'duplicate-imaging',
        variant: first !== undefined ? 'prior' : 'draft',
        orders: [order],
        evidence,
        vars: first !== undefined ? { prior: `${first.display} on ${isoDay(first.date)}` } : { prior: inDraft.map((o) => o.display).join(', ') },
        // A duplicate within the draft is almost certainly a slip; a repeat of a record study may be justified.
        suggestions: [{ kind: 'remove', wording: 'remove', orders: [order], recommended: first === undefined }],
      });
    }
    return findings;
  },
};
