import type { OrderHookContext } from './types';

/**
 * CDS Hooks 2.0.1 prefetch tokens (spec section "Prefetch tokens"): only root-level primitive context
 * fields flagged as tokens for order-select / order-sign, plus the four user tokens. Any other token is
 * rejected when content loads, so discovery never advertises a template a client cannot fill.
 */
const TOKEN = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;

export const ALLOWED_TOKENS = [
  'context.patientId',
  'context.userId',
  'context.encounterId',
  'userPractitionerId',
  'userPractitionerRoleId',
  'userPatientId',
  'userRelatedPersonId',
] as const;

export function tokensOf(template: string): string[] {
  return [...template.matchAll(TOKEN)].map((m) => m[1] ?? '');
}

function tokenValue(token: string, context: OrderHookContext): string | undefined {
  const [userType, userId] = context.userId.split('/');
  switch (token) {
    case 'context.patientId':
      return context.patientId;
    case 'context.userId':
      return context.userId;
    case 'context.encounterId':
      return context.encounterId;
    case 'userPractitionerId':
      return userType === 'Practitioner' ? userId : undefined;
    case 'userPractitionerRoleId':
      return userType === 'PractitionerRole' ? userId : undefined;
    case 'userPatientId':
      return userType === 'Patient' ? userId : undefined;
    case 'userRelatedPersonId':
      return userType === 'RelatedPerson' ? userId : undefined;
    default:
      return undefined;
  }
}

/** The relative FHIR URL for a template, or undefined when a token has no value in this context. */
export function renderTemplate(template: string, context: OrderHookContext): string | undefined {
  let missing = false;
  const url = template.replace(TOKEN, (_all, token: string) => {
    const value = tokenValue(token, context);
    if (value === undefined) {
      missing = true;
      return '';
    }
    // `userId` is `Type/id` and is meant to be used whole (spec: `"user": "{{context.userId}}"`).
    return token === 'context.userId' ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
  return missing ? undefined : url;
}
