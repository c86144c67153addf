const DAY_MS = 86_400_000;

export function parseFhirDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
  return Number.isNaN(d.getTime()) ? undefined : d;
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
