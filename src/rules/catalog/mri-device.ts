import { isMr } from '../facts/order-facts';
import type { CodeableConcept, Condition, Device, DeviceDefinition } from 'fhir/r4';
import type { Terminology } from '../../terminology/types';
import { isCurrentCondition, isCurrentDevice } from '../facts/current';
import { isoDay, parseFhirDate } from '../../fhir/dates';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

/** R5 `Device.safety` (MR Safe / Conditional / Unsafe) carried into R4, which has no such element, by the cross-version extension. */
export const DEVICE_SAFETY_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Device.safety';

type MrLabel = 'unsafe' | 'conditional' | 'safe' | 'unknown';

/**
 * The DeviceDefinition a Device points at, when the EHR sent it along as a contained resource
 * (`Device.definition = #id`). R4 puts the labelled MR safety on DeviceDefinition.safety; a definition on the
 * server would need a read per device, which the record does not make.
 */
function containedDefinition(device: Device): DeviceDefinition | undefined {
  const ref = device.definition?.reference;
  if (ref === undefined || !ref.startsWith('#')) return undefined;
  return (device.contained ?? []).find((r): r is DeviceDefinition => r.resourceType === 'DeviceDefinition' && r.id === ref.slice(1));
}

/** MR safety labelling: the R5 Device.safety extension on the Device, or R4 DeviceDefinition.safety (contained). */
function mrLabel(device: Device, terminology: Terminology): MrLabel {
  const concepts: CodeableConcept[] = [
    ...(device.extension ?? [])
      .filter((e) => e.url === DEVICE_SAFETY_EXTENSION && e.valueCodeableConcept !== undefined)
      .map((e) => e.valueCodeableConcept as CodeableConcept),
    ...(containedDefinition(device)?.safety ?? []),
  ];
  if (concepts.some((c) => terminology.matchConcept(c, 'mr-safety-unsafe') !== undefined)) return 'unsafe';
  if (concepts.some((c) => terminology.matchConcept(c, 'mr-safety-conditional') !== undefined)) return 'conditional';
  if (concepts.some((c) => terminology.matchConcept(c, 'mr-safety-safe') !== undefined)) return 'safe';
  return 'unknown';
}

/** The value sets `mriImplants` reads: the MR safety labels and the contraindicating devices and conditions. */
const MRI_IMPLANT_VALUE_SETS = ['mr-safety-unsafe', 'mr-safety-conditional', 'mr-safety-safe', 'mri-contraindicated-devices', 'mri-contraindicated-conditions'] as const;

interface Implant {
  readonly evidence: Evidence;
  readonly label: MrLabel;
}

function deviceName(d: Device): string {
  const type = d.type?.coding?.[0];
  return d.deviceName?.[0]?.name ?? d.type?.text ?? type?.display ?? `device ${type?.code ?? ''}`.trim();
}

/** Implants recorded as Devices or as status Conditions (docs/rules.md: the same fact recorded either way). */
export function mriImplants(devices: readonly Device[], conditions: readonly Condition[], terminology: Terminology): Implant[] {
  const implants: Implant[] = [];
  for (const d of devices) {
    if (!isCurrentDevice(d)) continue;
    const label = mrLabel(d, terminology);
    const listed = terminology.matchConcept(d.type, 'mri-contraindicated-devices') !== undefined;
    // A device labelled MR Unsafe contraindicates MRI whatever its type; one labelled MR Safe never does.
    if (label === 'safe' || (!listed && label !== 'unsafe')) continue;
    const type = d.type?.coding?.[0];
    const labelText = label === 'unsafe' ? 'MR Unsafe' : label === 'conditional' ? 'MR Conditional' : 'MR safety not recorded';
    const date = parseFhirDate(d.manufactureDate);
    implants.push({
      label,
      evidence: {
        ...(d.id !== undefined ? { reference: `Device/${d.id}` } : {}),
        what: `Implanted device: ${deviceName(d)}`,
        value: `${type?.code !== undefined ? `SNOMED ${type.code}; ` : ''}${labelText}`,
        ...(date !== undefined ? { date: isoDay(date) } : {}),
      },
    });
  }
  for (const c of conditions) {
    if (!isCurrentCondition(c)) continue;
    const coding = terminology.matchConcept(c.code, 'mri-contraindicated-conditions');
    if (coding === undefined) continue;
    const date = parseFhirDate(c.onsetDateTime ?? c.recordedDate);
    implants.push({
      label: 'unknown',
      evidence: {
        ...(c.id !== undefined ? { reference: `Condition/${c.id}` } : {}),
        what: 'Implant status on the problem list',
        value: `${coding.display ?? c.code?.text ?? 'implant'} (${coding.code ?? '?'})`,
        ...(date !== undefined ? { date: isoDay(date) } : {}),
      },
    });
  }
  return implants;
}

/**
 * mri-device (Preface-3.1, Clinical Information): MRI or MRA with an MRI-contraindicating implant.
 * Critical when any implant is labelled MR Unsafe; info when every implant is MR Conditional; warning
 * otherwise. The alternative is the CT of the same region with contrast matched ("MRI without -> CT
 * without; MRI without and with -> CT with"), from the terminology relations.
 */
export const mriDevice: Rule = {
  code: 'mri-device',
  requires: ['devices', 'conditions'],
  valueSets: MRI_IMPLANT_VALUE_SETS,
  variants: ['unsafe', 'contraindicated', 'conditional'],
  suggestionKeys: ['ct-instead'],
  parameterSchema: { type: 'object', additionalProperties: false, properties: {} },
  relevant: (order) => isMr(order.study),
  evaluate(ctx, _p, targets) {
    const implants = mriImplants(ctx.record.devices, ctx.record.conditions, ctx.terminology);
    if (implants.length === 0) return [];
    const variant = implants.some((i) => i.label === 'unsafe')
      ? 'unsafe'
      : implants.every((i) => i.label === 'conditional')
        ? 'conditional'
        : 'contraindicated';
    const finding = implants.map((i) => `${i.evidence.what} (${i.evidence.value ?? ''})`).join('; ');
    return targets.map((order): Finding => {
      const ct = ctx.terminology.ctCounterpart(order.study);
      return {
        rule: 'mri-device',
        variant,
        orders: [order],
        evidence: implants.map((i) => i.evidence),
        vars: { finding },
        suggestions:
          ct === undefined ? [] : [{ kind: 'replace', wording: 'ct-instead', order, replacement: ct, recommended: variant !== 'conditional' }],
      };
    });
  },
};
