/**
 * The native backend: the Backend interface over the addon. Built on first use.
 * @module
 */
import type { Backend } from './types.js';
import { loadAddon } from './addon.js';
import { nativeSm2 } from './native-sm2.js';
import { nativeSm3 } from './native-sm3.js';
import { nativeSm4 } from './native-sm4.js';

let backend: Backend | undefined;

/** Returns the native backend, loading the addon on first use; throws if it cannot load. */
export function nativeBackend(): Backend {
  if (backend) return backend;
  const addon = loadAddon();
  backend = {
    name: 'native',
    ...nativeSm3(addon),
    ...nativeSm4(addon),
    ...nativeSm2(addon),
    implementations() {
      const impl = addon.implementations();
      return {
        sm3: impl['sm3'] ?? 'unknown',
        sm3Lanes: impl['sm3Lanes'] ?? 'unknown',
        sm4: impl['sm4'] ?? 'unknown',
        ghash: impl['ghash'] ?? 'unknown',
        sm2: impl['sm2'] ?? 'unknown',
      };
    },
  };
  return backend;
}

/** CPU features seen by the addon, or undefined when it is not loaded. */
export function nativeCpuInfo():
  | { arch: string; detected: string[]; enabled: string[]; disabled: string[] }
  | undefined {
  try {
    return loadAddon().cpuInfo();
  } catch {
    return undefined;
  }
}
