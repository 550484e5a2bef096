/**
 * The pure-TypeScript backend: the same results as the native one, in plain TypeScript that also
 * runs in browsers. Not constant time in the way the native code is (see README).
 * @module
 */
import type { Backend } from './types.js';
import { pureSm3 } from '../pure/sm3.js';

export const pureBackend: Backend = {
  name: 'pure',
  ...pureSm3,
  implementations: () => ({
    sm3: 'pure-ts',
    sm4: 'pure-ts (table lookups)',
    ghash: 'pure-ts',
    sm2: 'pure-ts (bigint)',
  }),
};
