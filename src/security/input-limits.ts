import type { RequestHandler } from 'express';
import { badRequest, payloadTooLarge } from '../errors';

export interface InputLimits {
  readonly maxDepth: number;
  readonly maxBundleEntries: number;
}

export type LimitViolation = { readonly kind: 'depth'; readonly path: string } | { readonly kind: 'bundle'; readonly path: string; readonly entries: number };

/**
 * Walks a parsed body once, iteratively (a recursive walk is itself a stack-overflow vector), and reports
 * the first element deeper than `maxDepth` or the first Bundle with more than `maxBundleEntries` entries.
 * Runs before ajv and before any code that recurses over resources.
 */
export function checkInputLimits(body: unknown, limits: InputLimits): LimitViolation | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) return { kind: 'depth', path: path || '(body)' };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], depth: depth + 1, path: `${path}[${i}]` });
      continue;
    }
    const record = value as Record<string, unknown>;
    if (record['resourceType'] === 'Bundle' && Array.isArray(record['entry']) && record['entry'].length > limits.maxBundleEntries) {
      return { kind: 'bundle', path: path || '(body)', entries: record['entry'].length };
    }
    for (const key of Object.keys(record)) stack.push({ value: record[key], depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
  }
  return undefined;
}

/**
 * Bounds on a request no EHR reaches: nesting (FHIR resources nest about a dozen levels; the default
 * allows 64) and Bundle size (the default 10,000 entries per Bundle is ten times a large prefetch).
 */
export function inputLimits(limits: InputLimits): RequestHandler {
  return (req, _res, next) => {
    const violation = req.method === 'POST' ? checkInputLimits(req.body, limits) : undefined;
    if (violation === undefined) {
      next();
      return;
    }
    // The path is cut short: the offender may be the deep structure itself.
    const where = violation.path.length > 200 ? `${violation.path.slice(0, 200)}...` : violation.path;
    if (violation.kind === 'depth') {
      next(badRequest([{ diagnostics: `The request nests deeper than ${limits.maxDepth} levels`, expression: where, code: 'too-costly' }]));
    } else {
      next(payloadTooLarge(`The Bundle at ${where} has ${violation.entries} entries; this service accepts at most ${limits.maxBundleEntries}`));
    }
  };
}
