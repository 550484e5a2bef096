/**
 * What the property tests (test/property-*.test.ts) share: the outcome classifier that accepts
 * only the library's typed errors, and the fast-check settings.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { GuomiError } from '../src/errors.js';
import { useBackendForTesting } from '../src/backend/select.js';
import type { BackendName } from '../src/backend/types.js';
import { TlsError } from '../src/tls/errors.js';

/**
 * Runs fn and returns 'ok', or the class and code of the error it threw: 'GuomiError:ERR_…',
 * 'TlsError:ERR_TLS_…', 'TypeError' or 'RangeError'. Any other exception (a plain Error, an
 * internal TypeError from a bug such as reading a property of undefined is told apart by its
 * message not naming a parameter) fails the test. `allowed`, when given, lists the outcomes
 * that are acceptable; anything else (including an unexpected 'ok') fails.
 */
export function outcome(fn: () => unknown, what: string, allowed?: readonly string[]): string {
  let result: string;
  try {
    fn();
    result = 'ok';
  } catch (err) {
    result = classify(err, what);
  }
  if (allowed) expect(allowed, `${what}: outcome ${result}`).toContain(result);
  return result;
}

/** As {@link outcome} for an async function. */
export async function outcomeAsync(fn: () => Promise<unknown>, what: string, allowed?: readonly string[]): Promise<string> {
  let result: string;
  try {
    await fn();
    result = 'ok';
  } catch (err) {
    result = classify(err, what);
  }
  if (allowed) expect(allowed, `${what}: outcome ${result}`).toContain(result);
  return result;
}

function classify(err: unknown, what: string): string {
  if (err instanceof GuomiError) {
    expect(err.message.length, `${what}: empty message`).toBeGreaterThan(5);
    return `GuomiError:${err.code}`;
  }
  if (err instanceof TlsError) return `TlsError:${err.code}`;
  if (err instanceof TypeError || err instanceof RangeError) {
    // Our argument errors name the parameter in quotes or say what was expected; an engine
    // TypeError from a bug ("Cannot read properties of undefined") does not.
    const m = err.message;
    const engineBug = /Cannot read properties|is not a function|is not iterable|Maximum call stack|Invalid array length|out of memory/i.test(m);
    expect(engineBug, `${what}: engine ${err.constructor.name}: ${m}`).toBe(false);
    return err.constructor.name;
  }
  const e = err as Error;
  return expect.fail(`${what}: unexpected ${e?.constructor?.name}: ${e?.message}\n${e?.stack ?? ''}`);
}

/** Runs fn with `name` as the active backend, then restores `back`. */
export function on<T>(name: BackendName, back: BackendName, fn: () => T): T {
  useBackendForTesting(name);
  try {
    return fn();
  } finally {
    useBackendForTesting(back);
  }
}

/** Arbitrary bytes of length in [min, max]. */
export const bytes = (min: number, max: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: min, maxLength: max });

/** Arbitrary bytes of exactly n. */
export const exactly = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });

/**
 * fast-check parameters: a fixed seed per property by default (reproducible CI), overridden by
 * FC_SEED / FC_RUNS_SCALE for longer exploratory runs by hand.
 */
export function params(numRuns: number, seed = 1): fc.Parameters<unknown> {
  const scale = Number(process.env['FC_RUNS_SCALE'] ?? '1');
  const envSeed = process.env['FC_SEED'];
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    seed: envSeed === undefined ? seed : Number(envSeed),
    endOnFailure: true,
  };
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
