/** One piece of record evidence shown on the card: which resource, which value, which date. */
export interface Evidence {
  /** `Observation/abc`; absent when the fact comes from the order itself. */
  readonly reference?: string;
  /** What it is, e.g. "eGFR (LOINC 98979-8)". */
  readonly what: string;
  /** The value with its unit, or the code. */
  readonly value?: string;
  /** YYYY-MM-DD. */
  readonly date?: string;
}
