import { describeReadFailure } from './fhir-reader';
import type { FhirReadFailure } from './fhir-reader';

/** Why a record key could not be read; named in the 412 OperationOutcome, the evaluation-incomplete card and logs (never with PHI). */
export type UnavailableReason =
  | { readonly kind: 'no-fhir-server' }
  | { readonly kind: 'fhir-server-not-allowed' }
  | { readonly kind: 'token-not-resolvable' }
  | { readonly kind: 'timed-out'; readonly afterMs: number }
  | { readonly kind: 'read-failed'; readonly failure: FhirReadFailure };

/**
 * The reason in words, for a key that is not in prefetch: "401 from the FHIR server", "could not connect
 * to the FHIR server", "the FHIR server read timed out after 2000 ms" ...
 */
export function describeUnavailable(reason: UnavailableReason): string {
  switch (reason.kind) {
    case 'no-fhir-server':
      return 'the request has no fhirServer';
    case 'fhir-server-not-allowed':
      return 'fhirServer is not on the allow-list of this service';
    case 'token-not-resolvable':
      return 'its prefetch template needs a context value this request does not carry';
    case 'timed-out':
      return `the FHIR server read timed out after ${reason.afterMs} ms`;
    case 'read-failed':
      return describeReadFailure(reason.failure);
  }
}
