import type { Response } from 'express';

/** Who called: the verified JWT `iss` / `tenant` once client authentication is in place, else nobody. */
export interface Caller {
  readonly iss?: string;
  readonly tenant?: string;
  /**
   * FHIR base URLs an authenticated client may make us call. When present it replaces the deployment's
   * ALLOWED_FHIR_SERVERS for this call (docs/security.md, SSRF): a client can only point us at its own EHR.
   */
  readonly fhirServers?: readonly string[];
}

const CALLER = 'caller';

/** Authentication records the verified caller on the response; this and `callerOf` are the only accessors. */
export function setCaller(res: Response, caller: Caller): void {
  res.locals[CALLER] = caller;
}

/** The caller authentication recorded for this request; an empty caller when authentication is off. */
export function callerOf(res: Response): Caller {
  const caller: unknown = res.locals[CALLER];
  return typeof caller === 'object' && caller !== null ? (caller as Caller) : {};
}
