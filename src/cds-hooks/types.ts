import type { Bundle, Coding as FhirCoding, FhirResource, OperationOutcome } from 'fhir/r4';

/**
 * CDS Hooks 2.0.1 wire types (HL7 CDS Hooks STU2 TC1, https://cds-hooks.hl7.org/2.0/). Written from the
 * spec tables, not copied from another implementation's types, which can drift from the spec. Every
 * response the service sends is checked against `src/cds-hooks/schemas/cds-response.schema.json` in tests.
 */
export type HookName = 'order-select' | 'order-sign';

export interface ServiceDefinition {
  readonly hook: HookName;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly prefetch?: Readonly<Record<string, string>>;
  readonly usageRequirements?: string;
  readonly extension?: Readonly<Record<string, unknown>>;
}

export interface FhirAuthorization {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly subject: string;
  readonly patient?: string;
}

/** A prefetch value: a resource, a searchset Bundle, an OperationOutcome (client-side failure) or null. */
export type PrefetchValue = FhirResource | null;

export interface HookRequest {
  readonly hook: string;
  readonly hookInstance: string;
  readonly fhirServer?: string;
  readonly fhirAuthorization?: FhirAuthorization;
  readonly context: OrderHookContext;
  readonly prefetch?: Readonly<Record<string, PrefetchValue>>;
  readonly extension?: Readonly<Record<string, unknown>>;
}

export interface OrderHookContext {
  readonly userId: string;
  readonly patientId: string;
  readonly encounterId?: string;
  readonly selections?: readonly string[];
  readonly draftOrders: Bundle;
}

/** CDS Hooks Coding: `system` and `code` required; `display` required on overrideReasons. */
export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

export type Indicator = 'info' | 'warning' | 'critical';

export interface Action {
  readonly type: 'create' | 'update' | 'delete';
  readonly description: string;
  readonly resource?: FhirResource;
  readonly resourceId?: string;
}

export interface Suggestion {
  readonly label: string;
  readonly uuid: string;
  readonly isRecommended?: boolean;
  readonly actions?: readonly Action[];
}

export interface Link {
  readonly label: string;
  readonly url: string;
  readonly type: 'absolute' | 'smart';
  readonly appContext?: string;
}

/** Our card extension (docs/rules.md card contract): which rule raised it, where in the guideline, about which orders. */
export interface ImagingCdsCardExtension {
  readonly rule: string;
  readonly section: string;
  readonly orders: readonly string[];
}

export interface Card {
  readonly uuid: string;
  readonly summary: string;
  readonly detail?: string;
  readonly indicator: Indicator;
  readonly source: { readonly label: string; readonly url?: string; readonly icon?: string; readonly topic?: Coding };
  readonly suggestions?: readonly Suggestion[];
  readonly selectionBehavior?: 'at-most-one' | 'any';
  readonly overrideReasons?: readonly Coding[];
  readonly links?: readonly Link[];
  readonly extension: { readonly 'imaging-cds': ImagingCdsCardExtension };
}

export interface HookResponse {
  readonly cards: readonly Card[];
  readonly systemActions?: readonly Action[];
}

export interface FeedbackItem {
  readonly card: string;
  readonly outcome: 'accepted' | 'overridden';
  readonly acceptedSuggestions?: readonly { readonly id: string }[];
  readonly overrideReason?: { readonly reason?: FhirCoding; readonly userComment?: string };
  readonly outcomeTimestamp: string;
}

export interface FeedbackRequest {
  readonly feedback: readonly FeedbackItem[];
}

export type { OperationOutcome };
