/**
 * Backend selection: GUOMI_BACKEND=auto (default) | native | pure.
 *
 * - auto: the native addon if it loads, otherwise the pure backend, with the reason recorded.
 * - native: the addon or an error (GuomiError ERR_BACKEND_UNAVAILABLE) on every call.
 * - pure: always the pure backend, and the addon is never loaded.
 *
 * The choice is made on first use, not at import, and then kept for the life of the process.
 * @module
 */
import { GuomiError } from '../errors.js';
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
  return active ?? (active = choose(readRequest()));
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
  active = choose(request);
  return active;
}
