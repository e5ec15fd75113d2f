/**
 * Small readers of request input (body, path and query) that refuse bad values with a 422 that
 * names the field, so every handler starts from typed values.
 */
import type { FastifyRequest } from 'fastify';
import { invalid } from './admin-error.js';

export type RawObject = Record<string, unknown>;

export function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON body as an object; an absent body reads as `{}`. */
export function bodyOf(request: FastifyRequest): RawObject {
  if (request.body === undefined || request.body === null) return {};
  if (!isObject(request.body)) throw invalid('body', 'must be a JSON object');

  return request.body;
}

/** Refuses members outside `known`: a typo would otherwise be ignored silently. */
export function onlyKnown(body: RawObject, known: readonly string[], where = ''): void {
  const unknown = Object.keys(body).find((key) => !known.includes(key));
  if (unknown === undefined) return;

  const field = where ? `${where}.${unknown}` : unknown;
  throw invalid(field, `is not a known field (expected one of: ${known.join(', ')})`);
}

export function param(request: FastifyRequest, name: string): string {
  const params = request.params as Record<string, string | undefined>;
  return params[name] ?? '';
}

export function queryString(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(name, 'must be given once, as text');

  return value;
}

/** A whole number query parameter within `[min, max]`, `fallback` when absent. */
export function queryInteger(
  request: FastifyRequest,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const raw = queryString(request, name);
  if (raw === undefined) return range.fallback;

  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(name, `must be a whole number from ${range.min} to ${range.max}`);
  }

  return value;
}

export function requiredText(body: RawObject, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') throw invalid(name, 'is required, as text');

  return value;
}
