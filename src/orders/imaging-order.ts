import type { FhirResource, ServiceRequest } from 'fhir/r4';
import type { OrderHookContext } from '../cds-hooks/types';
import { parseFhirDate } from '../fhir/dates';
import type { StudyDefinition, Terminology } from '../terminology/types';

/** One draft imaging order, normalised through the terminology layer. */
export interface ImagingOrder {
  /** `ServiceRequest/<id>` (or `draftOrders.entry[i]` for an order without id, which cannot be targeted). */
  readonly reference: string;
  readonly resource: ServiceRequest;
  readonly study: StudyDefinition;
  /** What the clinician sees: the order's own text, else our label for the code. */
  readonly display: string;
  /** Whether advice is given on this order (order-select: the selections; order-sign: every draft). */
  readonly isTarget: boolean;
  /** The order's date (authoredOn, else occurrence), used for age and look-backs; undefined = now. */
  readonly date?: Date;
}

function orderDate(sr: ServiceRequest): Date | undefined {
  return parseFhirDate(sr.occurrenceDateTime) ?? parseFhirDate(sr.occurrencePeriod?.start) ?? parseFhirDate(sr.authoredOn);
}

/** Draft order statuses that are still orders (order-sign 1.1 may carry revised, non-draft orders). */
const LIVE_STATUSES = new Set(['draft', 'active', 'on-hold', undefined]);

/**
 * Every ServiceRequest of the draft Bundle whose code the terminology knows; other resource types and
 * unknown codes are left alone (docs/rules.md: no card, no error).
 */
export function readImagingOrders(context: OrderHookContext, terminology: Terminology): ImagingOrder[] {
  const selections = context.selections === undefined ? undefined : new Set(context.selections);
  const orders: ImagingOrder[] = [];
  (context.draftOrders.entry ?? []).forEach((entry, index) => {
    const resource = entry.resource as FhirResource | undefined;
    if (resource?.resourceType !== 'ServiceRequest') return;
    if (!LIVE_STATUSES.has(resource.status)) return;
    const study = terminology.lookupOrder(resource.code?.coding);
    if (study === undefined) return;
    const reference = resource.id !== undefined ? `ServiceRequest/${resource.id}` : `draftOrders.entry[${index}]`;
    const text = resource.code?.text?.trim();
    const date = orderDate(resource);
    orders.push({
      reference,
      resource,
      study,
      display: text !== undefined && text.length > 0 ? text : study.label,
      isTarget: selections === undefined ? true : selections.has(reference),
      ...(date !== undefined ? { date } : {}),
    });
  });
  return orders;
}
