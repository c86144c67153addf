import { codeListRule } from '../engine/code-list-rule';

/**
 * hcpcs-redirect (Preface-4.9): "Requests for many HCPCS codes, including non-specific codes such as S8042
 * (MRI, low-field), should be redirected to a more appropriate and specific CPT code." Only the configured
 * non-specific codes fire; HCPCS codes with a CPT twin (C8931 ~ 72159) are not redirected but evaluated as
 * the twin by every other rule (the terminology resolves them). No replacement is suggested: a non-specific
 * code does not say which body part, and the service never invents one.
 */
export const hcpcsRedirect = codeListRule({ code: 'hcpcs-redirect', variant: 'non-specific' });
