// rss.js — what the load scripts share: option parsing, RSS sampling and the verdict line.
//
// A run is "stable" when the RSS after warm-up does not keep growing: the last sample may exceed
// the one at the end of the warm-up (the first quarter of the work: pools, JIT, caches and the
// garbage collector's heap sizing settle there) by at most `--growth` MB (default 48), and no
// later sample may exceed it by twice that. A leak of a few hundred bytes per operation over 10^6
// operations, or of one key object in a thousand, breaks both. LOAD_VERBOSE=1 prints every sample.
import { memoryUsage } from 'node:process';

export function options(defaults) {
  const args = process.argv.slice(2);
  const out = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)$/.exec(args[i]);
    if (!m || !(m[1] in defaults)) {
      console.error(`unknown option ${args[i]}; options: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')}`);
      process.exit(2);
    }
    out[m[1]] = Number(args[++i]);
  }
  return out;
}

export const mb = (bytes) => bytes / 1048576;

export class RssSampler {
  constructor() {
    this.samples = [];
  }

  sample(at) {
    this.samples.push({ at, rss: mb(memoryUsage.rss()) });
  }

  /** Prints the samples' summary and returns true when the run is stable (see above). */
  report(name, growthLimitMb) {
    const s = this.samples;
    const end = s[s.length - 1].at;
    const warm = s.findIndex((x) => x.at >= end / 4);
    const first = s[warm].rss;
    const last = s[s.length - 1].rss;
    const max = Math.max(...s.slice(warm).map((x) => x.rss));
    const ok = last - first <= growthLimitMb && max - first <= 2 * growthLimitMb;
    if (process.env.LOAD_VERBOSE) console.log(s.map((x) => `${x.at}:${x.rss.toFixed(0)}`).join(' '));
    console.log(
      `${name}: RSS after warm-up ${first.toFixed(1)} MB, last ${last.toFixed(1)} MB, max after warm-up ${max.toFixed(1)} MB ` +
        `(start ${s[0].rss.toFixed(1)} MB, overall max ${Math.max(...s.map((x) => x.rss)).toFixed(1)} MB, ${s.length} samples; limit +${growthLimitMb} MB) -> ${ok ? 'stable' : 'GROWING'}`,
    );
    return ok;
  }
}

/** Loads guomi from dist/ (npm run build), on the backend GUOMI_BACKEND names. */
export async function guomi() {
  const m = await import('../../dist/index.js');
  const info = m.backendInfo();
  console.log(`backend: ${info.backend}${info.backend === 'native' ? ` (${JSON.stringify(info.implementations)})` : ''}`);
  return m;
}
