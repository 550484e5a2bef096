#!/usr/bin/env node
// Which backend and CPU paths are in use, and the known-answer self-tests (as GM/T 0028
// power-on self-tests): what `npx guomi selftest` prints, from code.
//
//   node examples/selftest.mjs              # GUOMI_BACKEND=pure node examples/selftest.mjs
import { backendInfo, selfTest } from 'guomi';

const info = backendInfo();
console.log(`backend ${info.backend}${info.fallbackReason ? ` (fallback: ${info.fallbackReason})` : ''}`);
const report = selfTest();
for (const r of report.results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.algorithm} (${r.source})${r.error ? `: ${r.error}` : ""}`);
console.log(`selftest ${report.ok ? 'passed' : 'FAILED'}`);
process.exitCode = report.ok ? 0 : 1;
