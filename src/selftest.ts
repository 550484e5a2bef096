/**
 * selfTest(): the known-answer self-tests (src/kat.ts) in the manner of the GM/T 0028-2014
 * power-on self-tests, on demand: every algorithm and mode the package offers is run on the
 * active backend against a value published in its standard, and the report says which passed.
 * Nothing runs at import; GUOMI_SELFTEST=startup runs the same tests on first use (see
 * backend/select.ts).
 * @module
 */
import { backendInfo, getBackend, type BackendInfo } from './backend/select.js';
import { runKnownAnswers, type SelfTestResult } from './kat.js';

export type { SelfTestResult } from './kat.js';

/** What selfTest() returns. */
export interface SelfTestReport {
  /** Every known answer passed. */
  ok: boolean;
  /** The backend the tests ran on, with its CPU paths. */
  backend: BackendInfo;
  /** One result per known answer. */
  results: SelfTestResult[];
}

/**
 * Runs every known-answer test on the active backend.
 * @returns the backend in use, one result per test, and ok = every test passed
 * @throws GuomiError ERR_SELF_TEST_FAILED if GUOMI_SELFTEST=startup already found a failure
 * @example if (!selfTest().ok) process.exit(1)
 */
export function selfTest(): SelfTestReport {
  const results = runKnownAnswers(getBackend());
  return { ok: results.every((r) => r.ok), backend: backendInfo(), results };
}
