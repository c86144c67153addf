import type { Indicator } from '../../cds-hooks/types';
import type { DataKey } from '../../fhir/data-keys';
import type { PatientRecord } from '../../fhir/patient-record';
import type { ImagingOrder } from '../../orders/imaging-order';
import type { StudyDefinition, Terminology, ValueSetId } from '../../terminology/types';
import type { Evidence } from '../facts/evidence';
import type { AgeOnOrder } from '../facts/record-facts';
import type { PriorImaging } from '../facts/prior-imaging';

/**
 * Rules are pure functions of (orders, record, terminology, clock, parameters) -> findings. They know
 * nothing of HTTP, cards or storage; wording lives in cds-services/rules/<code>.json.
 */
export interface RuleContext {
  /** Every recognised imaging order of the draft (context for multi-order and duplicate rules). */
  readonly orders: readonly ImagingOrder[];
  /** The orders advice is given on (order-select: selections; order-sign: all). */
  readonly targets: readonly ImagingOrder[];
  readonly record: PatientRecord;
  readonly terminology: Terminology;
  readonly now: Date;
  /** `context.encounterId` of the hook call: the encounter the order is placed in (a current clinical evaluation). */
  readonly encounterId?: string;
  /**
   * The record's imaging within `lookbackDays` before `on`, newest first (see record/prior-imaging.ts). Five
   * rules ask once per order; the record's imaging is resolved once per call (createRuleContext).
   */
  readonly priorImaging: (on: Date, lookbackDays: number) => readonly PriorImaging[];
  /** The patient's age on the order's date (or now), with its evidence row; worked out once per date per call. */
  readonly ageOnOrder: (order: ImagingOrder) => AgeOnOrder | undefined;
}

export type SuggestionSpec =
  | {
      readonly kind: 'replace';
      /** Key of the wording in the rule's `suggestions` content. */
      readonly wording: string;
      readonly order: ImagingOrder;
      readonly replacement: StudyDefinition;
      readonly recommended: boolean;
      /**
       * Other draft orders the replacement absorbs (two unilateral breast MRIs -> one bilateral; PET + CT ->
       * PET/CT): deleted in the same suggestion, so accepting it leaves one coherent order.
       */
      readonly alsoRemove?: readonly ImagingOrder[];
    }
  | {
      readonly kind: 'remove';
      readonly wording: string;
      readonly orders: readonly ImagingOrder[];
      readonly recommended: boolean;
    };

export interface Finding {
  readonly rule: string;
  /** Key of the card wording in the rule's `cards` content (e.g. "ct" or "mri"). */
  readonly variant: string;
  readonly orders: readonly ImagingOrder[];
  readonly evidence: readonly Evidence[];
  readonly suggestions: readonly SuggestionSpec[];
  /** Extra template variables for the wording, e.g. `{ finding: "eGFR 24 mL/min/1.73m2 on 2026-11-01" }`. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Overrides the wording's indicator when the rule computes it (e.g. critical without a qualifying condition). */
  readonly indicator?: Indicator;
}

export interface Rule<P extends object = object> {
  readonly code: string;
  /** Record keys without which the rule cannot judge; when one is unavailable the rule is reported as not run. */
  readonly requires: readonly DataKey[];
  /** Record keys the rule also reads when they can be had, but can judge without (e.g. dialysis as a Procedure). */
  readonly optional?: readonly DataKey[];
  /**
   * Every value set (ValueSet.id, fhir-profiles/ValueSet-<id>.json) the rule asks the terminology about,
   * itself or through the facts it reads. Checked against the loaded value sets at start-up: a misspelt id
   * would otherwise switch the check off without a word.
   */
  readonly valueSets: readonly ValueSetId[];
  /** Card wording variants the rule content must provide. */
  readonly variants: readonly string[];
  /** Suggestion wording keys the rule content must provide. */
  readonly suggestionKeys: readonly string[];
  /** JSON Schema of `parameters` in the rule content (checked at start-up). */
  readonly parameterSchema: object;
  /**
   * Cheap pre-check: could this rule say anything about this order? Decides which record keys are read and
   * which targets the rule is given, so the trigger is stated here once.
   */
  relevant(order: ImagingOrder): boolean;
  /**
   * `targets`: the context's targets that `relevant` accepted, in draft order and never empty (a rule with
   * no relevant target is not run). Rules that judge combinations read the whole draft from `context.orders`.
   */
  evaluate(context: RuleContext, parameters: P, targets: readonly ImagingOrder[]): Finding[];
}

/** Rule code of the service's own card when part of the record could not be read (not a guideline rule). */
export const EVALUATION_INCOMPLETE = 'evaluation-incomplete';

/** Its wording variants: record data that could not be read; checks that threw. */
export const EVALUATION_INCOMPLETE_VARIANTS = ['record-unavailable', 'rule-failed'] as const;
