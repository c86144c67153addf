import type { Indicator, ServiceDefinition } from '../cds-hooks/types';
import type { DataKey } from '../fhir/data-keys';

/** cds-services/guideline.json */
export interface GuidelineContent {
  readonly id: string;
  readonly title: string;
  readonly publisher: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly sourceLabel: string;
  readonly url: string;
  readonly ruleCodeSystem: string;
  readonly overrideReasonSystem: string;
  readonly cardTypeSystem: string;
  readonly sections: Readonly<Record<string, string>>;
  readonly cardTypes: Readonly<Record<string, string>>;
}

export interface CardWording {
  readonly indicator: Indicator;
  readonly summary: string;
  readonly detail: string;
}

/** cds-services/rules/<code>.json: what an informaticist reviews for one rule. */
export interface RuleContent {
  readonly rule: string;
  readonly title: string;
  readonly section: string;
  readonly crdType: string;
  readonly enabled: boolean;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly cards: Readonly<Record<string, CardWording>>;
  readonly suggestions: Readonly<Record<string, { readonly label: string; readonly description: string }>>;
  readonly overrideReasons: readonly { readonly code: string; readonly display: string }[];
}

/** cds-services/services/<id>.json: a discovery entry; its prefetch keys are our DataKeys. */
export interface ServiceContent extends ServiceDefinition {
  readonly prefetch: Readonly<Record<DataKey, string>>;
}

export interface Content {
  readonly guideline: GuidelineContent;
  readonly services: ReadonlyMap<string, ServiceContent>;
  readonly rules: ReadonlyMap<string, RuleContent>;
}
