/**
 * `guomi bench`: a quick measurement of this installation (active backend, or both) next to
 * node:crypto, with no extra packages. The full comparison with sm-crypto and sm-crypto-v2 on
 * benchmark.js is `npm run bench` in a checkout of the repository (bench/).
 */
import crypto from 'node:crypto';
import { useBackendForTesting, backendInfo } from '../backend/select.js';
import { sm3 } from '../sm3.js';
import { CliError, parse, str, type Command } from './common.js';

interface Case {
  name: string;
  bytes: number;
  guomi: () => unknown;
  node?: () => unknown;
}

/** Runs fn repeatedly for about `ms` milliseconds (after a warm-up) and returns calls per second. */
function rate(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 50; i++) fn();
  let calls = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  for (;;) {
    for (let i = 0; i < batch; i++) fn();
    calls += batch;
    const elapsed = process.hrtime.bigint() - start;
    if (elapsed >= limit) return (calls * 1e9) / Number(elapsed);
    if (elapsed < limit / 10n) batch *= 2;
  }
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const size of [64, 1024, 16384, 1 << 20]) {
    const data = crypto.randomBytes(size);
    out.push({
      name: `sm3 ${size >= 1 << 20 ? '1 MiB' : size >= 1024 ? `${size / 1024} KiB` : `${size} B`}`,
      bytes: size,
      guomi: () => sm3(data),
      node: () => crypto.createHash('sm3').update(data).digest(),
    });
  }
  return out;
}

function fmt(opsPerSec: number, bytes: number): string {
  const mbs = (opsPerSec * bytes) / 1e6;
  return bytes >= 1024 ? `${mbs.toFixed(1)} MB/s` : `${Math.round(opsPerSec).toLocaleString('en-US')} op/s`;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'measure this installation next to node:crypto',
  help: `Usage: guomi bench [--backend native|pure|both] [--time MS] [FILTER]

Measure guomi on the active backend (or the one named) next to node:crypto in the same process
and print throughput and the ratio. FILTER selects cases whose name contains it (e.g. "sm3").
For the full comparison with sm-crypto and sm-crypto-v2, run \`npm run bench\` in a checkout.

Options:
  --backend B  native, pure or both (default: the active backend)
  --time MS    time per case in milliseconds (default 400)
  -h, --help   show this help

Exit status: 0 on success, 2 on bad usage.`,
  async run(argv) {
    const args = parse(argv, { backend: { type: 'string' }, time: { type: 'string' } });
    const ms = Number(str(args, 'time') ?? 400);
    if (!Number.isFinite(ms) || ms <= 0) throw new CliError('--time must be a positive number of milliseconds');
    const filter = args.positionals[0] ?? '';
    const backend = str(args, 'backend');
    if (backend !== undefined && !['native', 'pure', 'both'].includes(backend)) {
      throw new CliError('--backend must be native, pure or both');
    }
    const backends: ('native' | 'pure')[] =
      backend === 'both' ? ['native', 'pure'] : backend ? [backend as 'native' | 'pure'] : [];
    const selected = cases().filter((c) => c.name.includes(filter));
    const runs = backends.length ? backends : [backendInfo().backend];
    for (const b of runs) {
      useBackendForTesting(b);
      const info = backendInfo();
      console.log(`backend ${info.backend}: ${Object.entries(info.implementations).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      console.log(`${'case'.padEnd(14)} ${'guomi'.padStart(14)} ${'node:crypto'.padStart(14)}  ratio`);
      for (const c of selected) {
        const g = rate(c.guomi, ms);
        const n = c.node ? rate(c.node, ms) : undefined;
        console.log(
          `${c.name.padEnd(14)} ${fmt(g, c.bytes).padStart(14)} ${(n ? fmt(n, c.bytes) : '-').padStart(14)}  ${n ? `${(g / n).toFixed(2)}x` : ''}`,
        );
      }
    }
    return 0;
  },
};
