import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bundle, FhirResource } from 'fhir/r4';
import smart from 'fhirclient';
import type { FhirAuthorization } from '../cds-hooks/types';
import { assertTargetAllowed, withinBase } from '../security/fhir-trust';
import type { NetworkPolicy } from '../security/fhir-trust';

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
 * throwaway in-memory one (the default storage needs `req.session`, so without it a 401 turns into a
 * TypeError instead of an HttpError with status 401).
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
// which a CDS service never does: `.client()` does not touch them.
const NO_REQUEST = { headers: {}, url: '/' } as unknown as IncomingMessage;
const NO_RESPONSE = {} as unknown as ServerResponse;

const isResource = (v: unknown): v is FhirResource =>
  typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string';

/**
 * The EHR-facing reader, through fhirclient as the user asked (fhirAuthorization becomes the bearer token,
 * used for this call only and never logged). It pages itself rather than letting fhirclient follow `next`
 * links blindly: every URL, the first and each `next`, must stay inside the allow-listed base, redirects
 * are refused (`redirect: 'error'`), and only `searchset` Bundles count as search results
 * (docs/security.md, SSRF). A `next` link that leaves the base ends paging with the pages read so far.
 */
export function fhirclientReader(policy: NetworkPolicy): FhirReaderFactory {
  return (serverUrl, authorization) => {
    const client = smart(NO_REQUEST, NO_RESPONSE, callStorage()).client({
      serverUrl,
      tokenResponse:
        authorization === undefined
          ? {}
          : { access_token: authorization.access_token, token_type: 'Bearer', scope: authorization.scope },
    });
    const base = new URL(serverUrl.replace(/\/+$/, ''));
    let checked: Promise<void> | undefined;
    const fetchPage = async (url: URL, signal: AbortSignal): Promise<unknown> => {
      try {
        return await client.request(
          { url: url.toString(), signal, redirect: 'error', headers: { accept: 'application/fhir+json' } } as RequestInit & { url: string },
          { pageLimit: 1, useRefreshToken: false },
        );
      } catch (e) {
        const status = (e as { status?: unknown }).status;
        // fhirclient appends the server's body to the message; keep it (and any PHI in it) out of the logs.
        throw new FhirReadError(signal.aborted ? 'timed out' : 'FHIR read failed', typeof status === 'number' ? status : undefined);
      }
    };
    return {
      async read(relativeUrl, { signal, pageLimit }) {
        checked ??= assertTargetAllowed(serverUrl, policy);
        try {
          await checked;
        } catch (e) {
          throw new FhirReadError(`FHIR server refused: ${(e as Error).message}`);
        }
        let url: URL | undefined = new URL(relativeUrl.replace(/^\/+/, ''), `${base.toString()}/`);
        if (!withinBase(url, base)) throw new FhirReadError('URL outside the FHIR base');
        const out: FhirResource[] = [];
        for (let page = 0; page < pageLimit && url !== undefined; page += 1) {
          const body = await fetchPage(url, signal);
          if (!isResource(body)) throw new FhirReadError('FHIR server answered with something that is not a FHIR resource');
          if (body.resourceType !== 'Bundle') {
            if (page > 0) throw new FhirReadError('a next page that is not a Bundle');
            return [body];
          }
          const bundle = body as Bundle;
          if (bundle.type !== 'searchset') throw new FhirReadError(`a Bundle of type ${String(bundle.type)} where a searchset was expected`);
          out.push(...(Array.isArray(bundle.entry) ? bundle.entry : []).map((e) => e?.resource).filter(isResource));
          const next = (Array.isArray(bundle.link) ? bundle.link : []).find((l) => l?.relation === 'next')?.url;
          url = undefined;
          if (typeof next === 'string') {
            let candidate: URL | undefined;
            try {
              candidate = new URL(next, `${base.toString()}/`);
            } catch {
              candidate = undefined;
            }
            // Off-base next links are dropped, not followed: the server may not steer our token elsewhere.
            if (candidate !== undefined && withinBase(candidate, base)) url = candidate;
          }
        }
        return out;
      },
    };
  };
}
