import { isMr } from '../facts/order-facts';
import type { Coding } from 'fhir/r4';
import type { Region } from '../../terminology/types';
import { isCurrentCondition, isCurrentDevice } from '../facts/current';
import { conditionEvidence } from '../facts/record-facts';
import { isoDay, parseFhirDate } from '../../fhir/dates';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface MriMetalArtifactParameters {
  /**
   * Where an implant sits, by its code: a SNOMED CT code exactly, or an ICD-10-CM code prefix (Z96.64 =
   * hip joint implant). Implants whose code has no entry (a plate or screw with no site) are not placed.
   */
  readonly implantRegions: Readonly<Record<string, readonly Region[]>>;
}

function regionsOf(coding: Coding, map: MriMetalArtifactParameters['implantRegions']): readonly Region[] {
  const code = coding.code ?? '';
  if (map[code] !== undefined) return map[code];
  // ICD-10-CM is hierarchical by prefix: the longest listed prefix wins.
  const prefix = Object.keys(map)
    .filter((k) => k.includes('.') && code.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? [] : (map[prefix] ?? []);
}

/**
 * mri-metal-artifact (Preface-3.1, Clinical Information): "Most orthopedic and dental implants are not
 * magnetic. These include hip and knee replacements; plates, screws, and rods used to treat fractures ...
 * Yet, all of these metal implants can distort the MRI image if near the part of the body being scanned."
 * Info, no change: not a contraindication. Fires only when the implant's region overlaps the MRI's.
 */
export const mriMetalArtifact: Rule<MriMetalArtifactParameters> = {
  code: 'mri-metal-artifact',
  requires: ['devices', 'conditions'],
  valueSets: ['non-magnetic-orthopaedic-implants'],
  variants: ['default'],
  suggestionKeys: [],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['implantRegions'],
    properties: {
      implantRegions: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          minItems: 1,
          items: { enum: ['head', 'orbit_face_neck', 'chest', 'cardiac', 'abdomen', 'pelvis', 'abdomen_pelvis', 'spine_cervical', 'spine_thoracic', 'spine_lumbar', 'upper_extremity', 'lower_extremity', 'breast', 'whole_body'] },
        },
      },
    },
  },
  relevant: (order) => isMr(order.study),
  evaluate(ctx, p, targets) {
    const implants: { regions: readonly Region[]; evidence: Evidence }[] = [];
    for (const d of ctx.record.devices) {
      if (!isCurrentDevice(d)) continue;
      const coding = ctx.terminology.matchConcept(d.type, 'non-magnetic-orthopaedic-implants');
      if (coding === undefined) continue;
      const date = parseFhirDate(d.manufactureDate);
      implants.push({
        regions: regionsOf(coding, p.implantRegions),
        evidence: {
          ...(d.id !== undefined ? { reference: `Device/${d.id}` } : {}),
          what: 'Non-magnetic orthopaedic implant',
          value: `${coding.display ?? d.type?.text ?? 'implant'} (${coding.code ?? '?'})`,
          ...(date !== undefined ? { date: isoDay(date) } : {}),
        },
      });
    }
    for (const c of ctx.record.conditions) {
      if (!isCurrentCondition(c)) continue;
      const coding = ctx.terminology.matchConcept(c.code, 'non-magnetic-orthopaedic-implants');
      if (coding !== undefined) implants.push({ regions: regionsOf(coding, p.implantRegions), evidence: conditionEvidence(c, coding, 'Orthopaedic implant status') });
    }
    const findings: Finding[] = [];
    for (const order of targets) {
      const covered = ctx.terminology.regionsCovered(order.study);
      const near = implants.filter((i) => i.regions.some((r) => covered.includes(r) || r === 'whole_body' || covered.includes('whole_body')));
      if (near.length === 0) continue;
      findings.push({ rule: 'mri-metal-artifact', variant: 'default', orders: [order], evidence: near.map((i) => i.evidence), suggestions: [] });
    }
    return findings;
  },
};
