import type Joi from 'joi';

import { showValue } from './protocol/show-value';

/** Thrown at set-up when a factory gets an option it cannot use. */
export class InvalidOptionError extends Error {
  override readonly name = 'InvalidOptionError';
  readonly option: string;
  readonly value: unknown;

  constructor(factory: string, option: string, value: unknown, expected: string, options?: ErrorOptions) {
    super(`mapp-s2s: ${factory}() option "${option}" is invalid: received ${showValue(value)}. Expected ${expected}.`, options);
    this.option = option;
    this.value = value;
  }
}

/**
 * Validate a factory's options once, at creation. Keys set to `undefined` mean "use the default", and the
 * caller's object is never changed. Each schema key's joi `description` states what is allowed; it becomes the
 * "Expected ..." part of the error.
 */
export function validateOptions<T>(factory: string, schema: Joi.ObjectSchema, input: unknown, usage: string): T {
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidOptionError(factory, 'options', input, `one options object, as in ${usage}`);
  }

  if (looksLikeRequest(input)) {
    throw new Error(`mapp-s2s: ${factory} was mounted without being called. Use ${usage} instead of passing ${factory} itself.`);
  }

  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

  // A misspelt key is the likelier mistake than the required option it was meant to be, so it is named first.
  const knownKeys = Object.keys((schema.describe() as { keys?: object }).keys ?? {});
  const unknownKey = Object.keys(defined).find((key) => !knownKeys.includes(key));
  if (unknownKey !== undefined) {
    throw new InvalidOptionError(factory, unknownKey, defined[unknownKey], knownOptionsHint(unknownKey, knownKeys));
  }

  const { error, value } = schema.validate(defined, { abortEarly: true, convert: false });
  if (!error) {
    return value as T;
  }

  const detail = error.details[0];
  const option = detail.path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${part}`))
    .join('') || String(detail.context?.key ?? 'options');
  if (detail.type === 'object.unknown') {
    const parent = detail.path.slice(0, -1);
    const parentSchema = parent.length > 0 ? schema.extract(parent.map(String)) : schema;
    const known = Object.keys((parentSchema.describe() as { keys?: object }).keys ?? {});
    throw new InvalidOptionError(factory, option, detail.context?.value, knownOptionsHint(String(detail.context?.key ?? option), known));
  }

  const topLevel = String(detail.path[0] ?? '');
  const received = detail.path.length > 1 ? detail.context?.value : (defined as Record<string, unknown>)[topLevel];
  throw new InvalidOptionError(factory, option, received, describeAllowed(schema, detail.path) ?? detail.message);
}

/**
 * Look up the joi description of the option at `path`: the nested key's own, such as `retry.minDelayMs`,
 * or for an array item the whole option's.
 */
function describeAllowed(schema: Joi.ObjectSchema, path: ReadonlyArray<string | number>): string | undefined {
  const keyPath = path.every((part) => typeof part === 'string') ? path as string[] : [String(path[0] ?? '')];
  const flags = schema.extract(keyPath).describe().flags as { description?: string } | undefined;
  return flags?.description;
}

/** List the known options, naming first the one a misspelt key most likely meant. */
function knownOptionsHint(key: string, known: readonly string[]): string {
  const list = `one of the known options: ${known.join(', ')}`;
  const closest = known.find((candidate) => editDistance(candidate.toLowerCase(), key.toLowerCase()) <= 2);
  return closest === undefined ? list : `"${closest}" or ${list}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_unused, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

function looksLikeRequest(value: object): boolean {
  const candidate = value as Record<string, unknown>;
  return (typeof candidate.method === 'string' && typeof candidate.url === 'string')
    || (typeof candidate.request === 'object' && typeof candidate.response === 'object' && 'app' in candidate);
}
