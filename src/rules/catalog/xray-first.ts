import type { Condition } from 'fhir/r4';
import type { Region } from '../../terminology/types';
import { isCurrentCondition } from '../facts/current';
import { isoDay, parseFhirDate } from '../../fhir/dates';
import { orderReasons } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface XrayFirstParameters {
  /** How far back radiographs count when the record does not date the episode (no reason Condition onset). */
  readonly defaultEpisodeDays: number;
  /** The radiograph to order first, by region; regions without an entry (extremities: the joint is not known) get no suggestion. */
  readonly radiographByRegion: Readonly<Partial<Record<Region, string>>>;
}

const SPINE_MSK: readonly Region[] = ['spine_cervical', 'spine_thoracic', 'spine_lumbar', 'upper_extremity', 'lower_extremity'];

const DAY_MS = 86_400_000;

/** The episode began at the onset of the order's reason Condition (referenced, or the same code on the problem list). */
function episodeStart(reasons: readonly { concept: { coding?: { system?: string; code?: string }[] }; condition?: Condition }[], conditions: readonly Condition[]): { date: Date; condition: Condition } | undefined {
  const codes = new Set(reasons.flatMap((r) => (r.concept.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`)));
  const candidates = [
    ...reasons.map((r) => r.condition).filter((c): c is Condition => c !== undefined),
    ...conditions.filter((c) => isCurrentCondition(c) && (c.code?.coding ?? []).some((k) => codes.has(`${k.system ?? ''}|${k.code ?? ''}`))),
  ];
  let best: { date: Date; condition: Condition } | undefined;
  for (const condition of candidates) {
    const date = parseFhirDate(condition.onsetDateTime ?? condition.onsetPeriod?.start);
    if (date !== undefined && (best === undefined || date.getTime() > best.date.getTime())) best = { date, condition };
  }
  return best;
}

/**
 * xray-first (Preface-3.1, Clinical Information): "The Spine and Musculoskeletal guidelines require x-ray
 * studies from when the current episode of symptoms has started or changed." CT or MRI (not CTA/MRA) of
 * the spine or an extremity needs a radiograph of an overlapping region dated on or after the episode's
 * start. Radiographs ordered in the same draft do not count: their results must come first.
 */
export const xrayFirst: Rule<XrayFirstParameters> = {
  code: 'xray-first',
  requires: ['imagingStudies', 'procedures'],
  optional: ['serviceRequests', 'conditions'],
  valueSets: [],
  variants: ['default'],
  suggestionKeys: ['radiograph-first'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['defaultEpisodeDays', 'radiographByRegion'],
    properties: {
      defaultEpisodeDays: { type: 'integer', minimum: 1, maximum: 3650 },
      radiographByRegion: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  relevant: (order) => (order.study.modality === 'CT' || order.study.modality === 'MRI') && SPINE_MSK.includes(order.study.region),
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const on = order.date ?? ctx.now;
      const episode = episodeStart(orderReasons(order, ctx.record), ctx.record.conditions);
      const since = episode?.date ?? new Date(on.getTime() - p.defaultEpisodeDays * DAY_MS);
      const days = Math.max(1, Math.ceil((on.getTime() - since.getTime()) / DAY_MS));
      const radiographs = ctx.priorImaging(on, days).filter(
        (s) => s.state === 'done' && s.study.modality === 'XR' && ctx.terminology.regionsOverlap(s.study, order.study),
      );
      if (radiographs.length > 0) continue;
      const evidence: Evidence[] = [
        episode !== undefined
          ? {
              ...(episode.condition.id !== undefined ? { reference: `Condition/${episode.condition.id}` } : {}),
              what: 'Current episode began (onset of the order reason)',
              value: `${episode.condition.code?.coding?.[0]?.display ?? episode.condition.code?.text ?? 'condition'} (${episode.condition.code?.coding?.[0]?.code ?? '?'})`,
              date: isoDay(episode.date),
            }
          : { what: 'Current episode (no dated onset in the record): default look-back', value: `${p.defaultEpisodeDays} days`, date: isoDay(since) },
        { what: `Radiograph of the region since ${isoDay(since)}`, value: 'none in the record' },
      ];
      const code = p.radiographByRegion[order.study.region];
      const xr = code === undefined ? undefined : ctx.terminology.study(code);
      findings.push({
        rule: 'xray-first',
        variant: 'default',
        orders: [order],
        evidence,
        vars: { since: isoDay(since) },
        suggestions: xr === undefined ? [] : [{ kind: 'replace', wording: 'radiograph-first', order, replacement: xr, recommended: true }],
      });
    }
    return findings;
  },
};
