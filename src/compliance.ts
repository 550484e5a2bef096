/**
 * complianceReport(): what an assessment of commercial cryptography (密评, GB/T 39786-2021) asks
 * to have on file about the cryptographic module in use: the algorithms and modes it offers and
 * the standard of each, the implementation and CPU paths serving them, the result of the
 * known-answer self-tests run now (and at startup, under GUOMI_SELFTEST=startup), the random
 * source and key-generation checks, and the versions of everything involved (guomi, Node.js, the
 * OpenSSL inside Node.js, the native addon file with its fingerprint).
 *
 * formatComplianceReport() renders it as text, JSON or Markdown (`guomi compliance report`).
 * The report states facts about this installation; it is evidence for an assessor, not a
 * certificate.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadedAddonPath } from './backend/addon.js';
import { startupSelfTest, type BackendInfo, type StartupSelfTest } from './backend/select.js';
import { selfTest } from './selftest.js';
import { sm3 } from './sm3.js';
import { bytesToHex } from './utils.js';
import type { SelfTestResult } from './kat.js';

/** One algorithm (and its modes) as offered by the package. */
export interface ComplianceAlgorithm {
  /** e.g. "SM4". */
  name: string;
  /** What it is used for. */
  purpose: string;
  /** The standards it follows. */
  standards: string[];
  /** Modes or variants offered, when there are several. */
  modes?: string[];
  /** The implementation serving it now (from backendInfo()). */
  implementation: string;
  /** The self-tests (by algorithm name) that cover it. */
  knownAnswers: string[];
  /** Every one of those self-tests ran in this report and passed. */
  selfTested: boolean;
}

/** What complianceReport() returns. */
export interface ComplianceReport {
  /** When the report was made (ISO 8601). */
  generatedAt: string;
  /** Every self-test passed. */
  ok: boolean;
  module: { name: string; version: string };
  runtime: {
    node: string;
    /** The OpenSSL linked into Node.js (used by node:crypto, not by guomi's algorithms). */
    openssl: string;
    v8: string;
    /** The Node-API version Node.js offers (the addon needs 8). */
    napi: string;
    platform: string;
    arch: string;
    /** The C library of the running system, when Node.js reports it. */
    glibc?: string;
  };
  backend: BackendInfo;
  /** The native addon file in use (absent on the pure backend). */
  addon?: {
    path: string;
    /** 'prebuild' (shipped in the package) or 'build' (compiled at install). */
    origin: 'prebuild' | 'build';
    size: number;
    sm3: string;
    sha256: string;
  };
  algorithms: ComplianceAlgorithm[];
  /** Protocols and formats built on those algorithms. */
  protocols: { name: string; standards: string[]; details: string }[];
  selfTest: {
    /** 'startup' under GUOMI_SELFTEST=startup, else 'on-demand'. */
    mode: StartupSelfTest['mode'];
    /** The startup run, when there was one. */
    startup?: { ranAt: string; ok: boolean; count: number };
    /** The run made for this report. */
    ok: boolean;
    results: SelfTestResult[];
  };
  /** Key generation, random numbers and key handling. */
  keys: {
    randomSource: string;
    keyGeneration: string;
    pairwiseConsistencyTest: string;
    signatureNonces: string;
    zeroisation: string;
  };
  /** Side-channel posture of the backend in use. */
  constantTime: string;
}

function packageInfo(): { name: string; version: string } {
  try {
    const pkg = createRequire(import.meta.url)('../package.json') as { name?: string; version?: string };
    return { name: pkg.name ?? 'guomi', version: pkg.version ?? 'unknown' };
  } catch {
    return { name: 'guomi', version: 'unknown' };
  }
}

function glibcVersion(): string | undefined {
  try {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    return header?.glibcVersionRuntime;
  } catch {
    return undefined;
  }
}

function addonInfo(): ComplianceReport['addon'] {
  const path = loadedAddonPath();
  if (!path) return undefined;
  const bytes = readFileSync(path);
  return {
    path,
    origin: path.includes('/prebuilds/') ? 'prebuild' : 'build',
    size: statSync(path).size,
    sm3: bytesToHex(sm3(bytes)),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** The algorithms offered, their standards, and the known answers (src/kat.ts) that cover each. */
function algorithms(impl: BackendInfo['implementations'], results: SelfTestResult[]): ComplianceAlgorithm[] {
  const table: Omit<ComplianceAlgorithm, 'selfTested'>[] = [
    {
      name: 'SM2',
      purpose: 'digital signature, public-key encryption, key exchange (curve sm2p256v1)',
      standards: [
        'GB/T 32918.1-2016 (general), .2 (signature), .3 (key exchange), .4 (encryption), .5-2017 (parameters)',
        'GM/T 0009-2012 (encodings, default ID 1234567812345678)',
      ],
      modes: ['sign/verify (DER or r||s)', 'encrypt/decrypt (C1C3C2, C1C2C3, GM/T 0009 DER)', 'key exchange with confirmation'],
      implementation: impl.sm2,
      knownAnswers: ['SM2 sign', 'SM2 verify', 'SM2 encrypt', 'SM2 decrypt', 'SM2 key exchange'],
    },
    { name: 'SM3', purpose: 'hash', standards: ['GB/T 32905-2016'], implementation: impl.sm3, knownAnswers: ['SM3'] },
    {
      name: 'HMAC-SM3',
      purpose: 'message authentication',
      standards: ['GB/T 15852.2-2012 / RFC 2104 with SM3', 'GM/T 0042-2015 (test vectors)'],
      implementation: impl.sm3,
      knownAnswers: ['HMAC-SM3'],
    },
    {
      name: 'SM3-KDF',
      purpose: 'key derivation of SM2 encryption and key exchange',
      standards: ['GB/T 32918.4-2016 §5.4.3'],
      implementation: impl.sm3,
      knownAnswers: ['SM3-KDF'],
    },
    {
      name: 'HKDF-SM3',
      purpose: 'key derivation (TLS 1.3 key schedule)',
      standards: ['RFC 5869 with HMAC-SM3', 'RFC 8998 §3.4'],
      implementation: impl.sm3,
      knownAnswers: ['HKDF-SM3'],
    },
    {
      name: 'PBKDF2-SM3',
      purpose: 'password-based key derivation',
      standards: ['RFC 8018 §5.2 with HMAC-SM3'],
      implementation: impl.sm3,
      knownAnswers: ['PBKDF2-SM3'],
    },
    {
      name: 'SM4',
      purpose: 'block cipher and confidentiality modes',
      standards: ['GB/T 32907-2016', 'GB/T 17964-2021 (modes of operation)', 'NIST SP 800-38A', 'IEEE 1619 (XTS variant)'],
      modes: ['ECB', 'CBC (PKCS#7 or no padding)', 'CTR', 'CFB-128', 'OFB', 'XTS (GB/T 17964-2021 and IEEE 1619)'],
      implementation: impl.sm4,
      knownAnswers: ['SM4', 'SM4-ECB', 'SM4-CBC', 'SM4-CTR', 'SM4-CFB', 'SM4-OFB', 'SM4-XTS', 'SM4-XTS-IEEE'],
    },
    {
      name: 'SM4-GCM, SM4-CCM',
      purpose: 'authenticated encryption',
      standards: ['GB/T 36624-2018', 'NIST SP 800-38D / SP 800-38C', 'RFC 8998 §3.5'],
      modes: ['GCM', 'CCM'],
      implementation: `${impl.sm4}; GHASH ${impl.ghash}`,
      knownAnswers: ['SM4-GCM', 'SM4-CCM'],
    },
  ];
  return table.map((a) => ({
    ...a,
    selfTested: a.knownAnswers.every((name) => results.some((r) => r.algorithm === name && r.ok)),
  }));
}

/** The protocols and formats built on the algorithms (no algorithm of their own). */
const PROTOCOLS: ComplianceReport['protocols'] = [
  {
    name: 'TLS 1.3 with ShangMi suites (guomi/tls)',
    standards: ['RFC 8446', 'RFC 8998'],
    details: 'TLS_SM4_GCM_SM3 (0x00C6), TLS_SM4_CCM_SM3 (0x00C7), curveSM2 (41), sm2sig_sm3 (0x0708)',
  },
  {
    name: 'X.509 certificates and requests (guomi/x509)',
    standards: ['GM/T 0015-2012', 'RFC 5280', 'GM/T 0006-2012 (OIDs)'],
    details: 'SM2-with-SM3 signatures (1.2.156.10197.1.501), chain building and verification',
  },
  {
    name: 'Log pseudonymisation and audit chains (guomi/log)',
    standards: ['HMAC-SM3', 'SM2 signatures'],
    details: 'keyed HMAC-SM3 pseudonyms of fields; HMAC-SM3 chained records with SM2-signed checkpoints',
  },
];

const TEXT_WIDTH = 22;

function keysFor(backend: BackendInfo['backend']): ComplianceReport['keys'] {
  return {
    randomSource:
      backend === 'native'
        ? 'the operating system CSPRNG (getrandom(2), else /dev/urandom) in the native addon'
        : 'crypto.getRandomValues (Web Crypto) of the JavaScript runtime',
    keyGeneration: 'SM2 private keys uniformly in [1, n-2] from the random source (GB/T 32918.1-2016 §6.1)',
    pairwiseConsistencyTest:
      'every Sm2PrivateKey.generate() / generateKeyPair() signs and verifies a test message before the key is returned (GM/T 0028-2014; consistencyTest: false turns it off)',
    signatureNonces: 'hedged: an HMAC-SM3 DRBG over the private key, the digest and fresh random bytes',
    zeroisation: 'key objects wipe their secret bytes on destroy(); SM4 and HMAC keys are wiped when their cipher or hash is destroyed',
  };
}

/**
 * Makes the report: runs the self-tests on the active backend now, and gathers what the
 * installation is made of.
 * @returns the report; `ok` is false if any known answer failed
 * @throws GuomiError ERR_SELF_TEST_FAILED if GUOMI_SELFTEST=startup already found a failure
 * @example console.log(formatComplianceReport(complianceReport(), 'markdown'))
 */
export function complianceReport(): ComplianceReport {
  const run = selfTest();
  const start = startupSelfTest();
  const backend = run.backend;
  const report: ComplianceReport = {
    generatedAt: new Date().toISOString(),
    ok: run.ok,
    module: packageInfo(),
    runtime: {
      node: process.versions.node,
      openssl: process.versions.openssl ?? 'none',
      v8: process.versions.v8,
      napi: process.versions.napi ?? 'none',
      platform: process.platform,
      arch: process.arch,
    },
    backend,
    algorithms: algorithms(backend.implementations, run.results),
    protocols: PROTOCOLS,
    selfTest: { mode: start.mode, ok: run.ok, results: run.results },
    keys: keysFor(backend.backend),
    constantTime:
      backend.backend === 'native'
        ? 'native addon: no branch or memory index depends on a secret (keys, nonces, plaintext before authentication), checked under valgrind with secrets marked undefined'
        : 'pure TypeScript backend: algorithmically constant time at best (JIT and BigInt are not); use the native addon where side channels matter',
  };
  const glibc = glibcVersion();
  if (glibc) report.runtime.glibc = glibc;
  const addon = backend.backend === 'native' ? addonInfo() : undefined;
  if (addon) report.addon = addon;
  if (start.results && start.ranAt) {
    report.selfTest.startup = { ranAt: start.ranAt, ok: start.results.every((r) => r.ok), count: start.results.length };
  }
  return report;
}

function line(label: string, value: string): string {
  return `${`${label}:`.padEnd(TEXT_WIDTH)} ${value}`;
}

function selfTestSummary(r: ComplianceReport): string {
  const failed = r.selfTest.results.filter((t) => !t.ok).length;
  return failed ? `FAILED (${failed} of ${r.selfTest.results.length} known answers)` : `passed (${r.selfTest.results.length} known answers)`;
}

function startupSummary(r: ComplianceReport): string {
  if (r.selfTest.mode !== 'startup') return 'on demand only (set GUOMI_SELFTEST=startup to run them on first use)';
  const s = r.selfTest.startup;
  return s ? `GUOMI_SELFTEST=startup: ran ${s.ranAt}, ${s.ok ? 'passed' : 'FAILED'} (${s.count})` : 'GUOMI_SELFTEST=startup: not run yet';
}

function cpuSummary(b: BackendInfo): string {
  if (!b.cpu) return 'not used by the pure backend';
  return `${b.cpu.arch}; detected ${b.cpu.detected.join(' ') || 'none'}${b.cpu.disabled.length ? `; switched off ${b.cpu.disabled.join(' ')}` : ''}`;
}

function toText(r: ComplianceReport): string {
  const out = [
    `guomi compliance report (${r.generatedAt})`,
    '',
    line('module', `${r.module.name} ${r.module.version}`),
    line('result', r.ok ? 'all self-tests passed' : 'SELF-TEST FAILURE'),
    line('node', `${r.runtime.node} (V8 ${r.runtime.v8}, Node-API ${r.runtime.napi})`),
    line('node openssl', `${r.runtime.openssl} (node:crypto only; not used by guomi)`),
    line('platform', `${r.runtime.platform}-${r.runtime.arch}${r.runtime.glibc ? `, glibc ${r.runtime.glibc}` : ''}`),
    line('backend', `${r.backend.backend}${r.backend.requested !== 'auto' ? ` (GUOMI_BACKEND=${r.backend.requested})` : ''}`),
  ];
  if (r.backend.fallbackReason) out.push(line('fallback reason', r.backend.fallbackReason));
  out.push(line('cpu', cpuSummary(r.backend)));
  for (const [k, v] of Object.entries(r.backend.implementations)) out.push(line(`  ${k}`, v));
  if (r.addon) {
    out.push(line('addon', `${r.addon.path} (${r.addon.origin}, ${r.addon.size} bytes)`));
    out.push(line('addon SM3', r.addon.sm3), line('addon SHA-256', r.addon.sha256));
  }
  out.push('', 'Algorithms offered:');
  for (const a of r.algorithms) {
    out.push(`  ${a.name}: ${a.purpose}`);
    out.push(`    standards: ${a.standards.join('; ')}`);
    if (a.modes) out.push(`    modes: ${a.modes.join(', ')}`);
    out.push(`    implementation: ${a.implementation}; self-tested: ${a.selfTested ? 'yes' : 'NO'} (${a.knownAnswers.join(', ')})`);
  }
  out.push('', 'Protocols built on them:');
  for (const p of r.protocols) out.push(`  ${p.name}: ${p.details} (${p.standards.join('; ')})`);
  out.push('', `Self-tests: ${selfTestSummary(r)}`, `  startup: ${startupSummary(r)}`);
  for (const t of r.selfTest.results) {
    out.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.algorithm.padEnd(16)} ${t.source}${t.error ? `\n       ${t.error}` : ''}`);
  }
  out.push('', 'Keys and random numbers:');
  out.push(`  random source: ${r.keys.randomSource}`);
  out.push(`  key generation: ${r.keys.keyGeneration}`);
  out.push(`  pairwise consistency test: ${r.keys.pairwiseConsistencyTest}`);
  out.push(`  signature nonces: ${r.keys.signatureNonces}`);
  out.push(`  zeroisation: ${r.keys.zeroisation}`);
  out.push('', `Side channels: ${r.constantTime}`);
  return out.join('\n') + '\n';
}

/** Escapes the characters that end a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function toMarkdown(r: ComplianceReport): string {
  const rows = [
    ['Module', `${r.module.name} ${r.module.version}`],
    ['Result', r.ok ? 'all self-tests passed' : '**SELF-TEST FAILURE**'],
    ['Node.js', `${r.runtime.node} (V8 ${r.runtime.v8}, Node-API ${r.runtime.napi})`],
    ['OpenSSL in Node.js', `${r.runtime.openssl} (node:crypto only; not used by guomi)`],
    ['Platform', `${r.runtime.platform}-${r.runtime.arch}${r.runtime.glibc ? `, glibc ${r.runtime.glibc}` : ''}`],
    ['Backend', `${r.backend.backend}${r.backend.requested !== 'auto' ? ` (GUOMI_BACKEND=${r.backend.requested})` : ''}`],
    ...(r.backend.fallbackReason ? [['Fallback reason', r.backend.fallbackReason]] : []),
    ['CPU', cpuSummary(r.backend)],
    ...Object.entries(r.backend.implementations).map(([k, v]) => [`Implementation: ${k}`, v]),
    ...(r.addon
      ? [
          ['Addon file', `\`${r.addon.path}\` (${r.addon.origin}, ${r.addon.size} bytes)`],
          ['Addon SM3', `\`${r.addon.sm3}\``],
          ['Addon SHA-256', `\`${r.addon.sha256}\``],
        ]
      : []),
  ];
  const out = [
    `# guomi compliance report`,
    '',
    `Generated ${r.generatedAt}.`,
    '',
    '| Item | Value |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${cell(k!)} | ${cell(v!)} |`),
    '',
    '## Algorithms offered',
    '',
    '| Algorithm | Purpose | Standards | Modes | Implementation | Self-tested |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.algorithms.map(
      (a) =>
        `| ${cell(a.name)} | ${cell(a.purpose)} | ${cell(a.standards.join('; '))} | ${cell(a.modes?.join(', ') ?? '')} | ${cell(a.implementation)} | ${a.selfTested ? 'yes' : '**no**'} (${cell(a.knownAnswers.join(', '))}) |`,
    ),
    '',
    '## Protocols built on them',
    '',
    ...r.protocols.map((p) => `- ${p.name}: ${p.details} (${p.standards.join('; ')})`),
    '',
    '## Self-tests',
    '',
    `Result: ${selfTestSummary(r)}. Startup: ${startupSummary(r)}.`,
    '',
    '| Result | Algorithm | Known answer from |',
    '| --- | --- | --- |',
    ...r.selfTest.results.map((t) => `| ${t.ok ? 'ok' : `**FAIL**: ${cell(t.error ?? '')}`} | ${cell(t.algorithm)} | ${cell(t.source)} |`),
    '',
    '## Keys and random numbers',
    '',
    `- Random source: ${r.keys.randomSource}`,
    `- Key generation: ${r.keys.keyGeneration}`,
    `- Pairwise consistency test: ${r.keys.pairwiseConsistencyTest}`,
    `- Signature nonces: ${r.keys.signatureNonces}`,
    `- Zeroisation: ${r.keys.zeroisation}`,
    '',
    '## Side channels',
    '',
    r.constantTime,
  ];
  return out.join('\n') + '\n';
}

/** The output formats of formatComplianceReport(). */
export type ComplianceReportFormat = 'text' | 'json' | 'markdown';

/**
 * Renders a report.
 * @param report what complianceReport() returned
 * @param format 'text' (default), 'json' or 'markdown'
 * @returns the text, ending in a newline
 * @throws RangeError for an unknown format
 */
export function formatComplianceReport(report: ComplianceReport, format: ComplianceReportFormat = 'text'): string {
  switch (format) {
    case 'text':
      return toText(report);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'markdown':
      return toMarkdown(report);
    default:
      throw new RangeError(`"format" must be 'text', 'json' or 'markdown', got ${JSON.stringify(format)}`);
  }
}
