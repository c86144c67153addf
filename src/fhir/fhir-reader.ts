import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bundle, FhirResource } from 'fhir/r4';
import smart from 'fhirclient';
import type { FhirAuthorization } from '../cds-hooks/types';
import { assertTargetAllowed, withinBase } from '../security/fhir-trust';
import type { NetworkPolicy } from '../security/fhir-trust';

/** Reads from the EHR's FHIR server on behalf of one hook call. */
export interface FhirReader {
  /**
   * Runs a read (`Patient/1`) or a search (`Observation?patient=1`) and returns the resources, following at
   * most `pageLimit` pages. Only what was asked for comes back: the resource read, or the search's entries of
   * the type searched; any other answer is a FhirReadError, never data.
   */
  read(relativeUrl: string, options: { readonly signal: AbortSignal; readonly pageLimit: number }): Promise<FhirResource[]>;
}

export type FhirReaderFactory = (serverUrl: string, authorization: FhirAuthorization | undefined) => FhirReader;

/** Why a FHIR read failed, kept so the 412 and the evaluation-incomplete card can say which (never with PHI). */
export type FhirReadFailure =
  | { readonly kind: 'http-status'; readonly status: number }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'connection-lost' }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'wrong-answer'; readonly detail: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'other' };

/** The failure in words: "401 from the FHIR server", "could not connect to the FHIR server" ... */
export function describeReadFailure(failure: FhirReadFailure): string {
  switch (failure.kind) {
    case 'http-status':
      return `${failure.status} from the FHIR server`;
    case 'unreachable':
      return 'could not connect to the FHIR server';
    case 'connection-lost':
      return 'the FHIR server closed the connection before its answer was complete';
    case 'refused':
      return `the FHIR server address was refused (${failure.detail})`;
    case 'wrong-answer':
      return `the FHIR server answered with ${failure.detail}`;
    case 'aborted':
      return 'the read was cancelled';
    case 'other':
      return 'the FHIR read failed';
  }
}

export class FhirReadError extends Error {
  override name = 'FhirReadError';
  constructor(readonly failure: FhirReadFailure) {
    super(describeReadFailure(failure));
  }
}

/** Socket-level codes (node, undici) of a connection that was made and then broke off. */
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * What a failed fhirclient request means. fhirclient throws its HttpError (with `status`) for a non-2xx
 * answer and a SyntaxError for a body that is not JSON; a network failure comes from its fetch, as a
 * FetchError with `type` and `code` (node-fetch) or a TypeError with a `cause` (undici). The server's
 * body, which fhirclient appends to its message, is not kept: it may hold PHI.
 */
function failureOf(e: unknown, signal: AbortSignal): FhirReadFailure {
  if (signal.aborted) return { kind: 'aborted' };
  const err = e as { status?: unknown; type?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof err.status === 'number') return { kind: 'http-status', status: err.status };
  if (e instanceof SyntaxError) return { kind: 'wrong-answer', detail: 'a body that is not valid JSON' };
  // `redirect: 'error'`: a redirect is refused, whatever its target (docs/security.md, SSRF).
  if (err.type === 'no-redirect' || err.type === 'max-redirect' || err.cause?.message === 'unexpected redirect') {
    return { kind: 'wrong-answer', detail: 'a redirect, which is not followed' };
  }
  const code = typeof err.code === 'string' ? err.code : err.cause?.code;
  if (typeof code === 'string' && CONNECTION_LOST.has(code)) return { kind: 'connection-lost' };
  return { kind: 'unreachable' };
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

/** What a relative URL asks for: a read (`Patient/pat-1`: type and id) or a search (`Observation?...`: type). */
function askedFor(relativeUrl: string): { readonly type: string; readonly id?: string } {
  const [type = '', id] = (relativeUrl.split('?')[0] ?? '').replace(/^\/+/, '').split('/');
  return id === undefined || id === '' ? { type } : { type, id: decodeURIComponent(id) };
}

const wrongAnswer = (detail: string): FhirReadError => new FhirReadError({ kind: 'wrong-answer', detail });

/** The answer to a read must be that very resource: a Bundle, another type or another id is not data. */
function checkRead(body: FhirResource, type: string, id: string): FhirResource {
  if (body.resourceType !== type) throw wrongAnswer(`a ${body.resourceType} where a ${type} was read`);
  if (body.id !== id) throw wrongAnswer(`a ${type} other than the one read`);
  return body;
}

/**
 * The entries of one searchset page that answer the search: resources of the type searched. Outcome entries
 * (OperationOutcome, search.mode = outcome) and included resources are not matches and are left out; an
 * entry of any other type means the server answered another question, so the page is not used.
 */
function searchMatches(bundle: Bundle, type: string, out: FhirResource[]): void {
  for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
    const resource: unknown = entry?.resource;
    if (!isResource(resource)) continue;
    if (resource.resourceType === type) out.push(resource);
    else if (resource.resourceType !== 'OperationOutcome' && entry.search?.mode !== 'outcome' && entry.search?.mode !== 'include') {
      throw wrongAnswer(`a searchset of ${resource.resourceType} entries where ${type} was searched`);
    }
  }
}

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
        throw new FhirReadError(failureOf(e, signal));
      }
    };
    return {
      async read(relativeUrl, { signal, pageLimit }) {
        checked ??= assertTargetAllowed(serverUrl, policy);
        try {
          await checked;
        } catch (e) {
          throw new FhirReadError({ kind: 'refused', detail: (e as Error).message });
        }
        let url: URL | undefined = new URL(relativeUrl.replace(/^\/+/, ''), `${base.toString()}/`);
        if (!withinBase(url, base)) throw new FhirReadError({ kind: 'refused', detail: 'URL outside the FHIR base' });
        const asked = askedFor(relativeUrl);
        const out: FhirResource[] = [];
        for (let page = 0; page < pageLimit && url !== undefined; page += 1) {
          const body = await fetchPage(url, signal);
          if (!isResource(body)) throw wrongAnswer('something that is not a FHIR resource');
          if (asked.id !== undefined) return [checkRead(body, asked.type, asked.id)];
          if (body.resourceType !== 'Bundle') throw wrongAnswer(`a ${body.resourceType} where a searchset Bundle was expected`);
          const bundle = body as Bundle;
          if (bundle.type !== 'searchset') throw wrongAnswer(`a Bundle of type ${String(bundle.type)} where a searchset was expected`);
          searchMatches(bundle, asked.type, out);
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
