import type { RequestHandler } from 'express';
import { badRequest, payloadTooLarge } from '../errors';
import type { OutcomeError } from '../errors';

export interface InputLimits {
  readonly maxDepth: number;
  readonly maxBundleEntries: number;
}

export type LimitViolation = { readonly kind: 'depth'; readonly path: string } | { readonly kind: 'bundle'; readonly path: string; readonly entries: number };

/**
 * Walks a parsed body once and reports the first element deeper than `maxDepth` or the first Bundle with
 * more than `maxBundleEntries` entries. Runs before ajv and before any code that recurses over resources.
 *
 * The walk recurses, but never deeper than `maxDepth` (at most 1,000 by the configuration schema), so a
 * hostile nesting cannot overflow the stack: it is refused at the limit. It allocates nothing on the way
 * (it runs on every hook call, over every prefetched resource); the path of an offender is put together
 * only when one is found, on the way back up.
 */
export function checkInputLimits(body: unknown, limits: InputLimits): LimitViolation | undefined {
  const found = walk(body, 0, limits);
  if (found === undefined) return undefined;
  const path = found.segments.reverse().join('').replace(/^\./, '') || '(body)';
  return found.kind === 'depth' ? { kind: 'depth', path } : { kind: 'bundle', path, entries: found.entries };
}

interface Found {
  readonly kind: 'depth' | 'bundle';
  readonly entries: number;
  /** Path segments, innermost first (`[3]`, `.entry`), appended while unwinding. */
  readonly segments: string[];
}

function walk(value: unknown, depth: number, limits: InputLimits): Found | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= limits.maxDepth) return { kind: 'depth', entries: 0, segments: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object') continue;
      const found = walk(item, depth + 1, limits);
      if (found !== undefined) {
        found.segments.push(`[${i}]`);
        return found;
      }
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const entry = record['entry'];
  if (Array.isArray(entry) && entry.length > limits.maxBundleEntries && record['resourceType'] === 'Bundle') {
    return { kind: 'bundle', entries: entry.length, segments: [] };
  }
  for (const key in record) {
    const child = record[key];
    if (child === null || typeof child !== 'object') continue;
    const found = walk(child, depth + 1, limits);
    if (found !== undefined) {
      found.segments.push(`.${key}`);
      return found;
    }
  }
  return undefined;
}

/** The OperationOutcome error a limit violation is answered with (400 for nesting, 413 for a Bundle's size). */
export function inputLimitError(violation: LimitViolation, limits: InputLimits): OutcomeError {
  // The path is cut short: the offender may be the deep structure itself.
  const where = violation.path.length > 200 ? `${violation.path.slice(0, 200)}...` : violation.path;
  return violation.kind === 'depth'
    ? badRequest([{ diagnostics: `The request nests deeper than ${limits.maxDepth} levels`, expression: where, code: 'too-costly' }])
    : payloadTooLarge(`The Bundle at ${where} has ${violation.entries} entries; this service accepts at most ${limits.maxBundleEntries}`);
}

/**
 * Bounds on a request no EHR reaches: nesting (FHIR resources nest about a dozen levels; the default
 * allows 64) and Bundle size (the default 10,000 entries per Bundle is ten times a large prefetch).
 */
export function inputLimits(limits: InputLimits): RequestHandler {
  return (req, _res, next) => {
    const violation = req.method === 'POST' ? checkInputLimits(req.body, limits) : undefined;
    next(violation === undefined ? undefined : inputLimitError(violation, limits));
  };
}
