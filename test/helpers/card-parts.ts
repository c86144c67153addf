import type { ServiceRequest } from 'fhir/r4';
import type { Card } from '../../src/cds-hooks/types';
import { ICD10, imagingOrder } from '../support/fhir-builders';

/** The parts of a card scenario tests assert on: evidence rows, suggestion actions, override reason codes. */
export const detailOf = (card: Card | undefined): string => card?.detail ?? '';

/** Evidence table rows of the card detail ("| Finding | Value | Date | Record |"). */
export function evidenceRows(card: Card | undefined): { what: string; value: string; date: string; record: string }[] {
  return detailOf(card)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Finding'))
    .map((l) => {
      const [what = '', value = '', date = '', record = ''] = l.slice(2, -2).split(' | ');
      return { what, value, date, record };
    });
}

export const actionsOf = (card: Card | undefined, i = 0) => card?.suggestions?.[i]?.actions ?? [];
export const updatedCode = (card: Card | undefined, i = 0): string | undefined =>
  (actionsOf(card, i).find((a) => a.type === 'update')?.resource as ServiceRequest | undefined)?.code?.coding?.[0]?.code;
export const deletedIds = (card: Card | undefined, i = 0): string[] =>
  actionsOf(card, i)
    .filter((a) => a.type === 'delete')
    .map((a) => a.resourceId ?? '');
export const overrideCodes = (card: Card | undefined): string[] => (card?.overrideReasons ?? []).map((r) => r.code ?? '');

/** A draft order with no reason at all (no reasonCode, no reasonReference). */
export function orderWithoutReason(id: string, cpt: string, over: Partial<ServiceRequest> = {}): ServiceRequest {
  const { reasonCode: _drop, ...rest } = imagingOrder(id, cpt, over);
  return rest;
}

export const reason = (code: string, display: string, system = ICD10) => [{ coding: [{ system, code, display }] }];
