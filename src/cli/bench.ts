/**
 * `guomi bench`: a quick measurement of this installation (active backend, or both) next to
 * node:crypto, with no extra packages. The full comparison with sm-crypto and sm-crypto-v2 on
 * benchmark.js is `npm run bench` in a checkout of the repository (bench/).
 */
import crypto from 'node:crypto';
import { useBackendForTesting, backendInfo } from '../backend/select.js';
import { Sm2PrivateKey } from '../sm2.js';
import { sm3 } from '../sm3.js';
import { sm4 } from '../sm4.js';
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

const sizeName = (size: number) => (size >= 1 << 20 ? '1 MiB' : size >= 1024 ? `${size / 1024} KiB` : `${size} B`);

/** node:crypto's cipher, when its OpenSSL has it (OpenSSL 3.0 has no SM4-GCM). */
function nodeCipher(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): (() => unknown) | undefined {
  try {
    crypto.createCipheriv(name, key, iv);
  } catch {
    return undefined;
  }
  return () => {
    const c = crypto.createCipheriv(name, key, iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]);
  };
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const size of [64, 1024, 16384, 1 << 20]) {
    const data = crypto.randomBytes(size);
    out.push({
      name: `sm3 ${sizeName(size)}`,
      bytes: size,
      guomi: () => sm3(data),
      node: () => crypto.createHash('sm3').update(data).digest(),
    });
  }
  const key = crypto.randomBytes(16);
  const iv = crypto.randomBytes(16);
  for (const size of [1024, 1 << 20]) {
    const data = crypto.randomBytes(size);
    const cbc = nodeCipher('sm4-cbc', key, iv, data);
    out.push({ name: `sm4-cbc ${sizeName(size)}`, bytes: size, guomi: () => sm4.cbc(key, iv, { padding: 'none' }).encrypt(data), ...(cbc ? { node: cbc } : {}) });
    const ctr = nodeCipher('sm4-ctr', key, iv, data);
    out.push({ name: `sm4-ctr ${sizeName(size)}`, bytes: size, guomi: () => sm4.ctr(key, iv).encrypt(data), ...(ctr ? { node: ctr } : {}) });
    const gcm = nodeCipher('sm4-gcm', key, iv.subarray(0, 12), data);
    out.push({ name: `sm4-gcm ${sizeName(size)}`, bytes: size, guomi: () => sm4.gcm(key, iv.subarray(0, 12)).encrypt(data), ...(gcm ? { node: gcm } : {}) });
  }
  // SM2 with the key made once (the per-key precomputation is part of the key object).
  let signer: Sm2PrivateKey | undefined;
  let signature: Uint8Array | undefined;
  const message = crypto.randomBytes(32);
  const keyOnce = () => (signer ??= Sm2PrivateKey.generate());
  out.push({ name: 'sm2 sign', bytes: 0, guomi: () => keyOnce().sign(message) });
  out.push({
    name: 'sm2 verify',
    bytes: 0,
    guomi: () => keyOnce().publicKey.verify(message, (signature ??= keyOnce().sign(message))),
  });
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
and print throughput and the ratio: SM3, SM4-CBC/CTR/GCM and SM2 sign/verify (node:crypto has
no SM4-GCM in OpenSSL 3.0 and no SM2 signature with an ID, so those rows have no ratio).
FILTER selects cases whose name contains it (e.g. "sm4-gcm").
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
