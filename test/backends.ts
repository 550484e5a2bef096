/**
 * Runs a suite once per backend. GUOMI_BACKEND=pure or =native restricts the run to that
 * backend (native must then load); otherwise every backend that loads is tested. With
 * GUOMI_REQUIRE_NATIVE=1 (set by .ci/run) a missing addon fails instead of being left out.
 */
import { beforeAll, describe } from 'vitest';
import { nativeBackend } from '../src/backend/native.js';
import { useBackendForTesting } from '../src/backend/select.js';
import type { BackendName } from '../src/backend/types.js';

function available(): BackendName[] {
  const requested = (process.env['GUOMI_BACKEND'] ?? 'auto').toLowerCase();
  if (requested === 'pure') return ['pure'];
  if (requested === 'native') return ['native'];
  try {
    nativeBackend();
    return ['native', 'pure'];
  } catch (err) {
    if (process.env['GUOMI_REQUIRE_NATIVE'] === '1') throw err;
    return ['pure'];
  }
}

export const BACKENDS: BackendName[] = available();

/** Declares `suite` inside one describe() block per backend, with that backend active. */
export function forEachBackend(suite: (name: BackendName) => void): void {
  for (const name of BACKENDS) {
    describe(`${name} backend`, () => {
      beforeAll(() => {
        useBackendForTesting(name);
      });
      suite(name);
    });
  }
}
