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

/** YYYY-MM-DD as shown on cards. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Is `d` within the `days` before `now` (and not more than a day after it, allowing clock skew)? */
export function withinDays(d: Date, now: Date, days: number): boolean {
  const age = now.getTime() - d.getTime();
  return age <= days * DAY_MS && age >= -DAY_MS;
}

/** Whole years of age on `on` (RULES.md: age is computed on the order's date). */
export function ageInYears(birthDate: Date, on: Date): number {
  let age = on.getUTCFullYear() - birthDate.getUTCFullYear();
  const m = on.getUTCMonth() - birthDate.getUTCMonth();
  if (m < 0 || (m === 0 && on.getUTCDate() < birthDate.getUTCDate())) age -= 1;
  return age;
}
