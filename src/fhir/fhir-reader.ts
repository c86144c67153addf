import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bundle, FhirResource } from 'fhir/r4';
import smart from 'fhirclient';
import type { FhirAuthorization } from '../cds/types';

/** Reads from the EHR's FHIR server on behalf of one hook call. */
export interface FhirReader {
  /** Runs a read (`Patient/1`) or a search and returns the resources, following at most `pageLimit` pages. */
  read(relativeUrl: string, options: { readonly signal: AbortSignal; readonly pageLimit: number }): Promise<FhirResource[]>;
}

export type FhirReaderFactory = (serverUrl: string, authorization: FhirAuthorization | undefined) => FhirReader;

export class FhirReadError extends Error {
  override name = 'FhirReadError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * fhirclient keeps SMART state in a storage object; a hook call has no session, so each call gets a
 * throwaway in-memory one (fhir-lab.md Q2 pitfall 2: without it a 401 turns into a TypeError).
 */
function callStorage() {
  const data = new Map<string, unknown>();
  return {
    get: async (key: string): Promise<unknown> => data.get(key),
    set: async (key: string, value: unknown): Promise<unknown> => data.set(key, value),
    unset: async (key: string): Promise<boolean> => data.delete(key),
  };
}

// fhirclient's node entry wants express-like req/res only to build redirect URLs for the OAuth dance,
// which a CDS service never does: `.client()` does not touch them (fhir-lab.md Q2).
const NO_REQUEST = { headers: {}, url: '/' } as unknown as IncomingMessage;
const NO_RESPONSE = {} as unknown as ServerResponse;

const isResource = (v: unknown): v is FhirResource =>
  typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string';

/** The EHR-facing reader, through fhirclient as the user asked (fhirAuthorization becomes the bearer token). */
export const fhirclientReaderFactory: FhirReaderFactory = (serverUrl, authorization) => {
  const client = smart(NO_REQUEST, NO_RESPONSE, callStorage()).client({
    serverUrl,
    tokenResponse:
      authorization === undefined
        ? {}
        : { access_token: authorization.access_token, token_type: 'Bearer', scope: authorization.scope },
  });
  return {
    async read(relativeUrl, { signal, pageLimit }) {
      let body: unknown;
      try {
        body = await client.request({ url: relativeUrl, signal, headers: { accept: 'application/fhir+json' } }, { flat: true, pageLimit });
      } catch (e) {
        const status = (e as { status?: unknown }).status;
        // fhirclient appends the server's body to the message; keep only the status line out of the logs.
        throw new FhirReadError(signal.aborted ? 'timed out' : `FHIR read failed`, typeof status === 'number' ? status : undefined);
      }
      if (Array.isArray(body)) return body.filter(isResource);
      if (isResource(body)) {
        if (body.resourceType === 'Bundle') return ((body as Bundle).entry ?? []).map((e) => e.resource).filter(isResource);
        return [body];
      }
      throw new FhirReadError('FHIR server answered with something that is not a FHIR resource');
    },
  };
};
