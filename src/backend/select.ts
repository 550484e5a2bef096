/**
 * Backend selection: GUOMI_BACKEND=auto (default) | native | pure.
 *
 * - auto: the native addon if it loads, otherwise the pure backend, with the reason recorded.
 * - native: the addon or an error (GuomiError ERR_BACKEND_UNAVAILABLE) on every call.
 * - pure: always the pure backend, and the addon is never loaded.
 *
 * The choice is made on first use, not at import, and then kept for the life of the process.
 *
 * GUOMI_SELFTEST=startup runs the known-answer self-tests (src/kat.ts) once, on that first use,
 * before any caller gets an answer (the power-on self-tests of GM/T 0028-2014 §6.2.4, run lazily
 * so that importing stays free). If one fails, the module enters an error state: that call and
 * every later one throws GuomiError ERR_SELF_TEST_FAILED, and no result is ever released.
 * @module
 */
import { GuomiError } from '../errors.js';
import { runKnownAnswers, type SelfTestResult } from '../kat.js';
import type { Backend, BackendName, ImplementationInfo } from './types.js';
import { nativeBackend, nativeCpuInfo } from './native.js';
import { pureBackend } from './pure.js';

/** What GUOMI_BACKEND may ask for: 'auto' (the addon if it loads, else pure), 'native' or 'pure'. */
export type BackendRequest = 'auto' | BackendName;

/** What backendInfo() reports. */
export interface BackendInfo {
  /** The backend in use. */
  backend: BackendName;
  /** What GUOMI_BACKEND asked for ('auto' when unset). */
  requested: BackendRequest;
  /** Why 'auto' fell back to the pure backend (absent when it did not). */
  fallbackReason?: string;
  /** The CPU as the addon sees it; absent on the pure backend. */
  cpu?: {
    /** 'x86-64', 'arm64' or 'loong64'. */
    arch: string;
    /** The features the CPU reports (e.g. avx2, gfni, sm4, lsx). */
    detected: string[];
    /** The detected features guomi uses (detected minus GUOMI_DISABLE). */
    enabled: string[];
    /** The features switched off with GUOMI_DISABLE. */
    disabled: string[];
  };
  /** The implementation each primitive uses now. */
  implementations: ImplementationInfo;
}

let active: Backend | undefined;
let requested: BackendRequest = 'auto';
let fallbackReason: string | undefined;

/** What GUOMI_SELFTEST asked for, and what the startup self-tests found. */
export interface StartupSelfTest {
  /** 'startup' when GUOMI_SELFTEST=startup, else 'on-demand' (selfTest() or the CLI only). */
  mode: 'startup' | 'on-demand';
  /** The results, once the startup self-tests have run on the active backend. */
  results?: SelfTestResult[];
  /** When they ran (ISO 8601). */
  ranAt?: string;
}

let startup: StartupSelfTest | undefined;
/** Set when a startup self-test failed: the error every call throws from then on. */
let selfTestFailure: GuomiError | undefined;

function readSelfTestMode(): StartupSelfTest['mode'] {
  const env =
    typeof process !== 'undefined' && process.env ? process.env['GUOMI_SELFTEST'] : undefined;
  const value = (env ?? '').trim().toLowerCase();
  if (value === 'startup') return 'startup';
  if (value === '' || value === 'off' || value === 'on-demand') return 'on-demand';
  // A misspelt value must not silently turn the power-on tests off.
  throw new GuomiError('ERR_SELF_TEST_FAILED', `GUOMI_SELFTEST must be startup, on-demand or off, got '${env}'`);
}

/**
 * Runs the known answers on `backend` and throws GuomiError ERR_SELF_TEST_FAILED naming the
 * failed algorithms if any fails.
 * @internal exported for the tests
 */
export function runStartupSelfTest(backend: Backend): SelfTestResult[] {
  const results = runKnownAnswers(backend);
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    throw new GuomiError(
      'ERR_SELF_TEST_FAILED',
      `GUOMI_SELFTEST=startup: the ${backend.name} backend failed its known-answer self-test ` +
        `(${failed.map((r) => `${r.algorithm}: ${r.error}`).join('; ')}); no cryptographic service is available`,
    );
  }
  return results;
}

/** Chooses a backend and, under GUOMI_SELFTEST=startup, tests it before anyone may use it. */
function activate(request: BackendRequest): Backend {
  if (selfTestFailure) throw selfTestFailure;
  const mode = readSelfTestMode();
  const backend = choose(request);
  startup = { mode };
  if (mode === 'startup') {
    try {
      startup.results = runStartupSelfTest(backend);
      startup.ranAt = new Date().toISOString();
    } catch (err) {
      selfTestFailure = err as GuomiError;
      throw err;
    }
  }
  return backend;
}

/** The startup self-test mode and, once they ran, their results (for complianceReport()). */
export function startupSelfTest(): StartupSelfTest {
  return startup ?? { mode: readSelfTestMode() };
}

function readRequest(): BackendRequest {
  const env =
    typeof process !== 'undefined' && process.env ? process.env['GUOMI_BACKEND'] : undefined;
  const value = (env ?? 'auto').trim().toLowerCase() || 'auto';
  if (value !== 'auto' && value !== 'native' && value !== 'pure') {
    throw new GuomiError(
      'ERR_BACKEND_UNAVAILABLE',
      `GUOMI_BACKEND must be auto, native or pure, got '${env}'`,
    );
  }
  return value;
}

function choose(request: BackendRequest): Backend {
  requested = request;
  fallbackReason = undefined;
  if (request === 'pure') return pureBackend;
  try {
    return nativeBackend();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (request === 'native') {
      throw new GuomiError('ERR_BACKEND_UNAVAILABLE', `GUOMI_BACKEND=native: ${why}`, {
        cause: err,
      });
    }
    fallbackReason = why;
    return pureBackend;
  }
}

/** The backend every public function uses. */
export function getBackend(): Backend {
  return active ?? (active = activate(readRequest()));
}

/** Which backend is in use, why, and which implementation each primitive has chosen. */
export function backendInfo(): BackendInfo {
  const b = getBackend();
  const info: BackendInfo = {
    backend: b.name,
    requested,
    implementations: b.implementations(),
  };
  if (fallbackReason !== undefined) info.fallbackReason = fallbackReason;
  if (b.name === 'native') {
    const cpu = nativeCpuInfo();
    if (cpu) info.cpu = cpu;
  }
  return info;
}

/**
 * Switches the backend for the rest of the process. For tests, which run every suite once per
 * backend; not part of the public API.
 * @internal
 */
export function useBackendForTesting(request: BackendRequest): Backend {
  active = activate(request);
  return active;
}
