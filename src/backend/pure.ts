/**
 * The pure-TypeScript backend: the same results as the native one, in plain TypeScript that also
 * runs in browsers. Not constant time in the way the native code is (see README).
 * @module
 */
import type { Backend } from './types.js';
import { pureSm2 } from '../pure/sm2.js';
import { pureSm3 } from '../pure/sm3.js';
import { pureSm4 } from '../pure/sm4.js';
import { runSm4Job } from './sm4-job.js';
import { copyBytes, nextTurn } from '../utils.js';

export const pureBackend: Backend = {
  name: 'pure',
  ...pureSm3,
  ...pureSm4,
  // No threads here: copy the input now and run the job on a later turn of the event loop.
  sm4Async: async (job) => {
    const copy = { ...job, input: copyBytes(job.input) };
    try {
      await nextTurn();
      return runSm4Job(pureSm4, copy);
    } finally {
      copy.input.fill(0);
    }
  },
  ...pureSm2,
  implementations: () => ({
    sm3: 'pure-ts',
    sm3Lanes: 'none',
    sm4: 'pure-ts (table lookups)',
    ghash: 'pure-ts',
    sm2: 'pure-ts (bigint)',
  }),
};
