/**
 * Access to the shared conformance corpus (../shared/conformance, see its README). Suites over
 * it run when the folder is present; with GUOMI_REQUIRE_CONFORMANCE=1 (set by .ci/run) its
 * absence is an error rather than a silent gap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR =
  process.env['GUOMI_CONFORMANCE_DIR'] ??
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'conformance');

export const HAVE_CONFORMANCE = existsSync(join(CONFORMANCE_DIR, 'README.md'));

if (!HAVE_CONFORMANCE && process.env['GUOMI_REQUIRE_CONFORMANCE'] === '1') {
  throw new Error(`conformance corpus not found at ${CONFORMANCE_DIR}`);
}

/** Reads one corpus file (JSON). */
export function readConformance<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, name), 'utf8')) as T;
}

/** Bytes of a lower-case hex field. */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}
