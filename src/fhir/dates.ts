const DAY_MS = 86_400_000;

/**
 * Parsed FHIR date strings by text: every rule reads the same record dates, and string parsing was ~5% of a
 * hook call in the profile. Bounded (cleared when full) so no input can grow it; a fresh Date is returned
 * each time so no caller can mutate another's.
 */
const PARSED = new Map<string, number>();
const PARSED_LIMIT = 10_000;

export function parseFhirDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  let ms = PARSED.get(value);
  if (ms === undefined) {
    ms = new Date(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value).getTime();
    if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
    PARSED.set(value, ms);
  }
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * Formatted days by day number: the evidence of every card shows a handful of record dates, and
 * `toISOString` per evidence row was ~1.4% of the event loop under load. Bounded like PARSED.
 */
const DAYS = new Map<number, string>();

/** YYYY-MM-DD (UTC) as shown on cards. */
export function isoDay(d: Date): string {
  const day = Math.floor(d.getTime() / DAY_MS);
  let text = DAYS.get(day);
  if (text === undefined) {
    text = d.toISOString().slice(0, 10); // an invalid Date throws here, as before
    if (DAYS.size >= PARSED_LIMIT) DAYS.clear();
    DAYS.set(day, text);
  }
  return text;
}

/** Is `d` within the `days` before `now` (and not more than a day after it, allowing clock skew)? */
export function withinDays(d: Date, now: Date, days: number): boolean {
  const age = now.getTime() - d.getTime();
  return age <= days * DAY_MS && age >= -DAY_MS;
}

/** Whole years of age on `on` (docs/rules.md: age is computed on the order's date). */
export function ageInYears(birthDate: Date, on: Date): number {
  let age = on.getUTCFullYear() - birthDate.getUTCFullYear();
  const m = on.getUTCMonth() - birthDate.getUTCMonth();
  if (m < 0 || (m === 0 && on.getUTCDate() < birthDate.getUTCDate())) age -= 1;
  return age;
}
