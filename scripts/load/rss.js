// rss.js — what the load scripts share: option parsing, RSS sampling and the verdict line.
//
// A run is "stable" when its RSS reaches a plateau: the highest sample of the second half of the
// work may exceed the highest of the first half (pools, JIT, caches and the garbage collector's
// heap sizing settle there) by at most `--growth` MB (default 48), and so may the last sample. A
// leak grows linearly and shows in the second half: a few hundred bytes per operation over 10^6
// operations, or one key object in a thousand never freed, breaks it. LOAD_VERBOSE=1 prints every
// sample (operations done:RSS MB).
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
    const firstHalf = Math.max(...s.filter((x) => x.at <= end / 2).map((x) => x.rss));
    const secondHalf = Math.max(...s.filter((x) => x.at > end / 2).map((x) => x.rss));
    const last = s[s.length - 1].rss;
    const ok = secondHalf - firstHalf <= growthLimitMb && last - firstHalf <= growthLimitMb;
    if (process.env.LOAD_VERBOSE) console.log(s.map((x) => `${x.at}:${x.rss.toFixed(0)}`).join(' '));
    console.log(
      `${name}: RSS start ${s[0].rss.toFixed(1)} MB, max in the first half ${firstHalf.toFixed(1)} MB, ` +
        `max in the second half ${secondHalf.toFixed(1)} MB, last ${last.toFixed(1)} MB ` +
        `(${s.length} samples; limit +${growthLimitMb} MB) -> ${ok ? 'stable' : 'GROWING'}`,
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
