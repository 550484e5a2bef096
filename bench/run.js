#!/usr/bin/env node
// npm run bench [-- [--write] [--time SECONDS] [--rounds N] [FILTER...]]
//
// Runs every benchmark case (bench/cases/*.js) with benchmark.js: guomi on both backends next to
// node:crypto, sm-crypto and sm-crypto-v2, all in this one process, so that the ratios compare
// like with like on a shared machine whose absolute speed drifts. Prints a table per group;
// --write also writes BENCHMARKS.md. FILTER keeps the groups whose name contains any of the words.
//
// Each group is measured in --rounds rounds (default 3) of --time seconds per runner (default
// 0.3), the runners taking turns, and each runner keeps its best round: a burst of other work on
// the machine slows whichever runner it lands on, and the best of interleaved rounds is the
// figure least bent by it (a single pass once gave a 16 KiB row at a tenth of its real speed).
import os from 'node:os';
import { readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import Benchmark from 'benchmark';
import { backendInfo, useBackendForTesting } from '../dist/backend/select.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const write = args.includes('--write');
const timeIdx = args.indexOf('--time');
const maxTime = timeIdx >= 0 ? Number(args[timeIdx + 1]) : 0.3;
const roundsIdx = args.indexOf('--rounds');
const rounds = roundsIdx >= 0 ? Number(args[roundsIdx + 1]) : 3;
if (!(maxTime > 0) || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: npm run bench -- [--write] [--time SECONDS > 0] [--rounds N >= 1] [FILTER...]');
  process.exit(2);
}
const optionValues = new Set([timeIdx, roundsIdx].filter((i) => i >= 0).map((i) => i + 1));
const filters = args.filter((a, i) => !a.startsWith('--') && !optionValues.has(i));

/**
 * The case files, bench/cases/*.js; each exports `groups()`: [{ name, bytes, runners: { label:
 * fn }, reference? }]. Runners labelled "guomi native…" or "guomi pure…" run with that backend.
 */
async function caseFiles() {
  return (await readdir(join(here, 'cases'))).filter((f) => f.endsWith('.js')).sort();
}

/**
 * The groups of one case file that the filters keep. A file's groups are made, run and dropped
 * before the next file's (the log case holds 100,000 records, which need not stay alive while
 * the other cases run).
 */
async function loadGroups(file) {
  const mod = await import(pathToFileURL(join(here, 'cases', file)).href);
  const groups = await mod.groups();
  return groups.filter((g) => filters.length === 0 || filters.some((w) => g.name.includes(w)));
}

/** Runs fn under benchmark.js and returns operations per second. */
function measure(fn) {
  const b = new Benchmark({ fn, maxTime, minSamples: 5, initCount: 1 });
  b.run({ async: false });
  if (b.error) throw b.error;
  return b.hz;
}

function humanRate(hz, bytes) {
  if (bytes >= 1024) return `${((hz * bytes) / 1e6).toFixed(1)} MB/s`;
  return `${Math.round(hz).toLocaleString('en-US')} op/s`;
}

const BACKEND_LABEL = /^guomi (native|pure)/;

async function main() {
  const rows = [];
  for (const file of await caseFiles()) {
    for (const g of await loadGroups(file)) await runGroup(g, rows);
  }
  if (write) await writeReport(rows);
}

/**
 * Lets the event loop turn (FinalizationRegistry callbacks run) and collects the garbage that the
 * previous runner left, so that each runner pays for its own garbage only. Without it the first
 * 16 KiB SM4 row after the pure-backend runners ran at a tenth of its speed (their garbage was
 * collected during it). Needs node --expose-gc (npm run bench passes it).
 */
async function settle() {
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc?.();
}

/** Measures one group (rounds of its runners taking turns), prints it and adds its rows. */
async function runGroup(g, rows) {
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const [label, fn] of Object.entries(g.runners)) {
      if (Number.isNaN(results[label])) continue; // failed in an earlier round
      const m = BACKEND_LABEL.exec(label);
      if (m) useBackendForTesting(m[1]);
      await settle();
      try {
        results[label] = Math.max(results[label] ?? 0, measure(fn));
      } catch (err) {
        results[label] = NaN;
        console.error(`${g.name} / ${label}: ${err.message}`);
      }
    }
  }
  // "vs node" compares with the group's reference implementation (node:crypto unless it names another).
  const node = results[g.reference ?? 'node:crypto'];
  const v2 = results['sm-crypto-v2'];
  console.log(`\n${g.name}`);
  for (const [label, hz] of Object.entries(results)) {
    const vsNode = node ? `${(hz / node).toFixed(2)}x` : '';
    const vsV2 = v2 ? `${(hz / v2).toFixed(2)}x` : '';
    console.log(`  ${label.padEnd(26)} ${humanRate(hz, g.bytes).padStart(16)}  vs node ${vsNode.padStart(7)}  vs v2 ${vsV2.padStart(7)}`);
    rows.push({ group: g.name, label, hz, bytes: g.bytes, vsNode, vsV2 });
  }
}

async function writeReport(rows) {
  useBackendForTesting('native');
  const info = backendInfo();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench -- --write`. Every figure in a table was measured in the same process',
    `run with benchmark.js, the runners of a table taking turns over ${rounds} rounds of ${maxTime} s, each keeping`,
    'its best round; compare the ratios, not the absolute numbers, which drift on a shared machine.',
    '"vs node" is the speed relative to node:crypto (OpenSSL) and "vs v2" relative to sm-crypto-v2 in',
    'the same run.',
    '',
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${cpu}, ${os.cpus().length} cores; Node ${process.version} (OpenSSL ${process.versions.openssl})`,
    `- load average (1 min) when written: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (other work on the machine skews rows measured at different moments)`,
    `- native CPU features: ${info.cpu?.detected.join(' ') ?? 'n/a'}`,
    `- native implementations: ${Object.entries(info.implementations).map(([k, v]) => `${k} = ${v}`).join('; ')}`,
    '',
  ];
  let group = '';
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      lines.push('', `## ${group}`, '', '| implementation | speed | vs node | vs v2 |', '|---|---:|---:|---:|');
    }
    lines.push(`| ${r.label} | ${humanRate(r.hz, r.bytes)} | ${r.vsNode} | ${r.vsV2} |`);
  }
  await writeFile(join(here, '..', 'BENCHMARKS.md'), lines.join('\n').replace(/\n\n\n/g, '\n\n') + '\n');
  console.log('\nwrote BENCHMARKS.md');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
